using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>Keras <c>Activation</c>: applies a named activation (see <see cref="Activations"/>) to its input.</summary>
public sealed class Activation : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="activation">Keras activation name; null means <c>linear</c>.</param>
    /// <param name="name">Layer name; null gives Keras's automatic name.</param>
    /// <exception cref="ArgumentException">An unknown activation name; the message lists the valid ones.</exception>
    public Activation(string? activation, string? name = null)
        : base(name)
    {
        Function = Activations.Normalize(activation);
    }

    /// <summary>The activation's Keras name.</summary>
    public string Function { get; }

    /// <inheritdoc />
    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    /// <inheritdoc />
    public override Tensor Call(Tensor inputs, bool training = false) => Activations.Apply(Function, inputs);
}
