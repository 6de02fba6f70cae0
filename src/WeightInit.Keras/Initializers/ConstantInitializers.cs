using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>Keras <c>Zeros</c> (<c>"zeros"</c>, <c>"zero"</c>): every value 0. Integer and bool dtypes are allowed.</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc />
    protected override bool AllowsNonFloatDtypes => true;

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype) => zeros(shape, dtype);
}

/// <summary>Keras <c>Ones</c> (<c>"ones"</c>, <c>"one"</c>): every value 1. Integer and bool dtypes are allowed.</summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc />
    protected override bool AllowsNonFloatDtypes => true;

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype) => ones(shape, dtype);
}
