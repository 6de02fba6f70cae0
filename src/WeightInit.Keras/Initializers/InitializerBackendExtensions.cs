using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>Calling an initializer with a chosen random backend for that one call.</summary>
public static class InitializerBackendExtensions
{
    /// <summary>
    /// <see cref="Initializer.Call"/> with <paramref name="backend"/>'s random numbers, whatever
    /// <see cref="KerasBackendRandom.Default"/> says.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Initializer.Call"/>, or a value that names no backend.</exception>
    public static Tensor Call(this Initializer initializer, ReadOnlySpan<long> shape, ScalarType? dtype, RandomBackend backend)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        using (KerasBackendRandom.Use(backend))
        {
            return initializer.Call(shape, dtype);
        }
    }
}
