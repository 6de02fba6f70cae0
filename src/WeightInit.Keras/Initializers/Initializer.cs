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
    /// <exception cref="ArgumentException">
    /// A negative dimension, more than <see cref="MaxRank"/> dimensions, dimensions whose product (a 0 taken as 1)
    /// overflows a 64-bit integer, a tensor larger than the memory available to the process, or a dtype this initializer does not support.
    /// </exception>
    public Tensor Call(ReadOnlySpan<long> shape, ScalarType? dtype = null)
    {
        long[] dims = shape.ToArray();
        long count = ElementCount(dims);
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
        CheckFitsInMemory(dims, count, type);
        return Generate(dims, type);
    }

    /// <summary>The most dimensions a shape may have (the engine's limit).</summary>
    public const int MaxRank = 64;

    /// <summary>The number of values of a valid shape; the rank, the signs and the product (checked) are validated.</summary>
    private static long ElementCount(long[] shape)
    {
        if (shape.Length > MaxRank)
        {
            throw new ArgumentException(
                $"A shape may have at most {MaxRank} dimensions; received shape={Describe(shape)} with {shape.Length}.", nameof(shape));
        }
        if (shape.Any(d => d < 0))
        {
            throw new ArgumentException($"Shape dimensions must be non-negative; received shape={Describe(shape)}.", nameof(shape));
        }
        try
        {
            // The engine's strides multiply the dimensions with a 0 taken as 1, so they must fit even for an empty tensor.
            long strideProduct = shape.Aggregate(1L, (product, d) => checked(product * Math.Max(d, 1)));
            return shape.Contains(0) ? 0 : strideProduct;
        }
        catch (OverflowException)
        {
            throw new ArgumentException(
                $"The dimensions of shape={Describe(shape)} multiply to more than a 64-bit integer holds (at most " +
                $"{long.MaxValue}; a 0 counts as 1, as in the engine's strides).", nameof(shape));
        }
    }

    /// <summary>
    /// Rejects a tensor bigger than the memory the process may use (the GC's view, which honours container limits):
    /// the engine would fail with a native allocation error, or, on Linux's overcommitted memory, be killed while filling.
    /// </summary>
    private static void CheckFitsInMemory(long[] shape, long count, ScalarType dtype)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        int size = ElementSize(dtype);
        if (count > available / size)
        {
            throw new ArgumentException(
                $"shape={Describe(shape)} of {DTypes.Name(dtype)} needs {(decimal)count * size} bytes; at most {available} " +
                "(the memory available to this process) are allowed.", nameof(shape));
        }
    }

    private static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static string Describe(long[] shape) => $"({string.Join(", ", shape)})";

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
