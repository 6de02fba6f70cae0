using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Keras <c>Identity</c> (<c>"identity"</c>, <c>"IdentityInitializer"</c>): <see cref="Gain"/> times the
/// identity matrix; rank 2 only, rectangular shapes allowed (ones on the main diagonal).
/// </summary>
/// <remarks>
/// Keras writes no config for it, so <see cref="Gain"/> is lost on a save and reloads as 1; see the serialization docs.
/// </remarks>
public sealed class Identity : Initializer
{
    /// <summary>Keras default: gain 1.</summary>
    public Identity(double gain = 1.0)
    {
        Gain = gain;
    }

    /// <summary>The factor applied to the identity matrix.</summary>
    public double Gain { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shape is not rank 2.</exception>
    protected override Tensor Generate(long[] shape, ScalarType dtype)
    {
        if (shape.Length != 2)
        {
            throw new ArgumentException(
                $"Identity matrix initializer can only be used for 2D matrices. Received: shape=({string.Join(", ", shape)}) of rank {shape.Length}.",
                nameof(shape));
        }
        using var identity = eye(shape[0], shape[1], dtype);
        return identity.mul(Gain);
    }
}
