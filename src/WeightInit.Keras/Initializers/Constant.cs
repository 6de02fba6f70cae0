using System.Globalization;
using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Keras <c>Constant</c> (<c>"constant"</c>): every value equals <see cref="Value"/> rounded to the dtype
/// (<c>cast(value, dtype) * ones(shape, dtype)</c>). Integer and bool dtypes are allowed; a fractional value is
/// truncated towards zero for them, as a cast does.
/// </summary>
/// <remarks>
/// Difference from Keras: <c>get("constant")</c> gives a Constant of value 0.0 (the constructor default) where
/// Keras raises <c>KeyError: 'value'</c>; the value is a scalar number, and serializes as a float (Keras keeps an int
/// or bool as written).
/// </remarks>
public sealed class Constant : Initializer
{
    /// <summary>Keras default: value 0.</summary>
    public Constant(double value = 0.0)
    {
        Value = value;
    }

    /// <summary>The fill value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    protected override bool AllowsNonFloatDtypes => true;

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype)
    {
        using var value = tensor(Value, ScalarType.Float64).to(dtype);
        using var expanded = value.expand(shape);
        return expanded.contiguous().clone();
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["value"] = Value };

    /// <inheritdoc />
    public override string ToString() => $"Constant({Value.ToString(CultureInfo.InvariantCulture)})";
}

/// <summary>
/// Keras <c>Identity</c> (<c>"identity"</c>, <c>"IdentityInitializer"</c>): <see cref="Gain"/> times the identity
/// matrix; rank 2 only, rectangular matrices allowed (ones on the main diagonal).
/// </summary>
/// <remarks>
/// Difference from Keras: the config is <c>{"gain": g}</c>, so the gain survives a save; Keras writes <c>{}</c> and a
/// reloaded Identity has gain 1.0. Keras reads <c>{"gain": g}</c> back, so this JSON loads in Keras too.
/// </remarks>
public sealed class Identity : Initializer
{
    /// <summary>Keras default: gain 1.</summary>
    public Identity(double gain = 1.0)
    {
        Gain = gain;
    }

    /// <summary>The multiplicative factor.</summary>
    public double Gain { get; }

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype)
    {
        if (shape.Length != 2)
        {
            throw new ArgumentException(
                "Identity matrix initializer can only be used for 2D matrices. " +
                $"Received: shape=({string.Join(", ", shape)}) of rank {shape.Length}.", nameof(shape));
        }
        using var eye = TorchSharp.torch.eye(shape[0], shape[1], dtype);
        return eye.mul(Gain);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["gain"] = Gain };
}
