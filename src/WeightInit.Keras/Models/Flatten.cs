using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>
/// Keras <c>Flatten</c>: reshapes each sample to one dimension. With <c>data_format="channels_first"</c> and rank ≥ 2
/// (batch excluded), the channel axis is moved last first, as Keras does, so the order matches a channels-last model.
/// </summary>
public sealed class Flatten : Layer
{
    /// <summary>The allowed data formats.</summary>
    public static readonly IReadOnlyList<string> DataFormats = ["channels_last", "channels_first"];

    /// <summary>Creates the layer.</summary>
    /// <param name="dataFormat"><c>channels_last</c> (Keras's default) or <c>channels_first</c>.</param>
    /// <param name="name">Layer name; null gives Keras's automatic name.</param>
    /// <exception cref="ArgumentException">Any other data format.</exception>
    public Flatten(string dataFormat = "channels_last", string? name = null)
        : base(name)
    {
        if (!DataFormats.Contains(dataFormat))
        {
            throw new ArgumentException(
                $"Invalid `data_format`: '{dataFormat}'. Allowed: {string.Join(", ", DataFormats)}.", nameof(dataFormat));
        }
        DataFormat = dataFormat;
    }

    /// <summary><c>channels_last</c> or <c>channels_first</c>.</summary>
    public string DataFormat { get; }

    /// <inheritdoc />
    public override long[] ComputeOutputShape(long[] inputShape) => [inputShape.Aggregate(1L, (a, b) => a * b)];

    /// <inheritdoc />
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (DataFormat == "channels_first" && inputs.dim() > 2)
        {
            long[] order = [0, .. Enumerable.Range(2, (int)inputs.dim() - 2).Select(i => (long)i), 1];
            using var moved = inputs.permute(order);
            return moved.reshape(inputs.shape[0], -1);
        }
        return inputs.reshape(inputs.shape[0], -1);
    }
}
