using System.Globalization;
using TorchSharp;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>
/// Keras <c>Dropout</c>: the identity at inference; in training each element (or each element of the
/// <see cref="NoiseShape"/> mask, broadcast over the input) is zeroed with probability <see cref="Rate"/> and the
/// kept ones are divided by <c>1 - rate</c> (inverted dropout), so the expected output equals the input.
/// </summary>
/// <remarks>
/// As in Keras, a rate above 0 makes the layer own a <see cref="Random.SeedGenerator"/>, created in the
/// constructor: unseeded, it takes one draw from <see cref="KerasRandom"/>, so it shifts the seeds of the
/// initializers built after it exactly as in Python. Each training call takes the generator's next seed. The
/// mask is drawn as <c>rand(shape) &lt; 1 - rate</c>, not with <c>torch.bernoulli</c>, so training masks are
/// not bit-identical to Keras's.
/// </remarks>
public sealed class Dropout : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="rate">Fraction of the inputs to drop, in [0, 1].</param>
    /// <param name="noiseShape">Shape of the mask, batch dimension first; null entries take the input's size.</param>
    /// <param name="seed">Seed of the layer's <see cref="Random.SeedGenerator"/>; null draws one.</param>
    /// <param name="name">Layer name; null gives Keras's automatic name.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate outside [0, 1] or NaN.</exception>
    public Dropout(double rate, IReadOnlyList<long?>? noiseShape = null, long? seed = null, string? name = null)
        : base(name)
    {
        if (!(rate >= 0.0 && rate <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate,
                "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" +
                rate.ToString(CultureInfo.InvariantCulture) + ".");
        }
        Rate = rate;
        NoiseShape = noiseShape?.ToArray();
        Seed = seed;
        SeedGenerator = rate > 0 ? new SeedGenerator(seed) : null;
    }

    /// <summary>Fraction of the inputs dropped in training.</summary>
    public double Rate { get; }

    /// <summary>The mask shape (batch first; null entries follow the input), or null for the input's shape.</summary>
    public IReadOnlyList<long?>? NoiseShape { get; }

    /// <summary>The seed argument as given (what the config records).</summary>
    public long? Seed { get; }

    /// <summary>The generator of the training masks; null when the rate is 0.</summary>
    public SeedGenerator? SeedGenerator { get; }

    /// <inheritdoc />
    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    /// <inheritdoc />
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!training || SeedGenerator is null)
        {
            return inputs.alias();
        }
        if (Rate >= 1.0)
        {
            return zeros_like(inputs);
        }
        long[] maskShape = NoiseShape is null
            ? inputs.shape
            : [.. NoiseShape.Select((d, i) => d ?? inputs.shape[i])];
        using var scope = NewDisposeScope();
        using var generator = new Generator(0, CPU);
        generator.manual_seed((long)Random.Seed.Of(SeedGenerator).NextTorchSeed());
        double keep = 1.0 - Rate;
        using var keepScalar = keep.ToScalar();
        var mask = rand(maskShape, inputs.dtype, generator: generator).lt(keepScalar);
        return where(mask, inputs.div(keepScalar), zeros_like(inputs)).MoveToOuterDisposeScope();
    }
}
