using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>Keras dtype names and their engine types.</summary>
public static class DTypes
{
    private static readonly (string Name, ScalarType Type)[] Table =
    [
        ("float32", ScalarType.Float32),
        ("float64", ScalarType.Float64),
        ("float16", ScalarType.Float16),
        ("bfloat16", ScalarType.BFloat16),
        ("int8", ScalarType.Int8),
        ("int16", ScalarType.Int16),
        ("int32", ScalarType.Int32),
        ("int64", ScalarType.Int64),
        ("uint8", ScalarType.Byte),
        ("bool", ScalarType.Bool),
    ];

    /// <summary>The floating dtype names, for messages.</summary>
    public static string FloatingNames => "float32, float64, float16, bfloat16";

    /// <summary>Every dtype name, for messages.</summary>
    public static string AllNames => string.Join(", ", Table.Select(t => t.Name));

    /// <summary>True for float32, float64, float16 and bfloat16.</summary>
    public static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;

    /// <summary>True when the dtype has a Keras name here.</summary>
    public static bool IsSupported(ScalarType type) => Table.Any(t => t.Type == type);

    /// <summary>The Keras name of an engine dtype.</summary>
    public static string Name(ScalarType type) =>
        Table.FirstOrDefault(t => t.Type == type).Name ?? type.ToString();

    /// <summary>The engine dtype of a Keras dtype name.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the allowed names.</exception>
    public static ScalarType Parse(string name)
    {
        foreach (var (n, t) in Table)
        {
            if (n == name)
            {
                return t;
            }
        }
        throw new ArgumentException($"Unknown dtype '{name}'; allowed: {AllNames}.", nameof(name));
    }
}
