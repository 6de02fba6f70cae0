using TorchSharp;
using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Base of every Keras initializer: called with a shape (Keras layout, e.g. a Dense kernel is
/// <c>(input_dim, units)</c>) and a dtype, it returns a new tensor.
/// </summary>
public abstract class Initializer
{
    /// <summary>The Keras class name, as written in a config's <c>class_name</c> (e.g. <c>HeNormal</c>).</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>True when integer and bool dtypes are allowed (Keras allows them for Zeros, Ones and Constant).</summary>
    protected virtual bool AllowsNonFloatDtypes => false;

    /// <summary>
    /// Returns a new tensor of <paramref name="shape"/> filled as Keras fills it. <paramref name="dtype"/> null means
    /// float32 (Keras's <c>floatx()</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A negative dimension, or a dtype this initializer does not support.</exception>
    public Tensor Call(ReadOnlySpan<long> shape, ScalarType? dtype = null)
    {
        long[] dims = shape.ToArray();
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException(
                    $"Shape dimensions must be non-negative; received shape=({string.Join(", ", dims)}).", nameof(shape));
            }
        }
        ScalarType type = dtype ?? ScalarType.Float32;
        if (!DTypes.IsFloating(type) && !AllowsNonFloatDtypes)
        {
            throw new ArgumentException(
                $"{ClassName} supports only floating dtypes ({DTypes.FloatingNames}); received dtype={DTypes.Name(type)}.",
                nameof(dtype));
        }
        if (!DTypes.IsSupported(type))
        {
            throw new ArgumentException(
                $"Unsupported dtype {DTypes.Name(type)}; allowed: {DTypes.AllNames}.", nameof(dtype));
        }
        return Generate(dims, type);
    }

    /// <summary>Fills a tensor of the (validated) shape and dtype.</summary>
    protected abstract Tensor Generate(long[] shape, ScalarType dtype);

    /// <summary>The Keras config, keys in Keras's order, values as Keras writes them.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();

    /// <summary>
    /// A new initializer built from this one's config (Keras's <c>clone()</c>, <c>from_config(get_config())</c>). An
    /// unseeded random initializer draws a new seed, as in Keras.
    /// </summary>
    /// <exception cref="ArgumentException">A custom initializer that was not registered with <see cref="KerasInitializers.Register{T}"/>.</exception>
    public Initializer Clone() => KerasInitializers.Deserialize(KerasInitializers.Serialize(this));

    /// <inheritdoc />
    public override string ToString() => ClassName;

    /// <summary>A Keras name where an initializer is expected, as Keras's <c>initializers.get</c>: <c>"he_normal"</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid names.</exception>
    public static implicit operator Initializer(string identifier) => KerasInitializers.Get(identifier);
}
