using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Keras <c>Constant</c> (<c>"constant"</c>): every element is <see cref="Value"/> rounded to the dtype, as Keras's
/// <c>cast(value, dtype) * ones(shape, dtype)</c>. Integer and bool dtypes are allowed.
/// </summary>
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
        using var value = tensor(Value, ScalarType.Float64).to_type(dtype);
        using var filled = ones(shape, dtype);
        return filled.mul(value);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["value"] = Value };
}
