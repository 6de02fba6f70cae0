using System.Text.Json.Nodes;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Initializers;

/// <summary>One built-in initializer as <c>weightinit list</c> shows it.</summary>
/// <param name="ClassName">The Keras class name (the JSON <c>class_name</c>).</param>
/// <param name="Names">Every string <see cref="KerasInitializers.Get(string)"/> accepts for it: class name, snake_case name, aliases.</param>
/// <param name="Defaults">The config of a default instance (seed null), keys in Keras's order.</param>
/// <param name="Formula">What it computes for a shape, in one line.</param>
/// <param name="IsRandom">True when it takes a seed.</param>
/// <param name="DefaultsJson">The defaults as Python's <c>json.dumps</c> writes them.</param>
public sealed record InitializerInfo(
    string ClassName, IReadOnlyList<string> Names, JsonObject Defaults, string Formula, bool IsRandom, string DefaultsJson);

public static partial class KerasInitializers
{
    private static readonly Dictionary<string, string> Formulas = new(StringComparer.Ordinal)
    {
        [nameof(Zeros)] = "0",
        [nameof(Ones)] = "1",
        [nameof(Constant)] = "value, rounded to the dtype",
        [nameof(Identity)] = "gain * eye(rows, cols); rank 2 only",
        [nameof(STFT)] = "cos or sin(-2·t·(k/N)·π) · w[t] / normalizer, shape (T, C, F), N = 2(F-1)",
        [nameof(RandomNormal)] = "N(mean, stddev²)",
        [nameof(TruncatedNormal)] = "N(mean, stddev²) truncated at ±2·stddev, no variance correction (std ≈ 0.8796·stddev)",
        [nameof(RandomUniform)] = "U[minval, maxval)",
        [nameof(VarianceScaling)] = "s = scale / max(1, fan); truncated: σ = √s / 0.8796…; untruncated: σ = √s; uniform: ±√(3s)",
        [nameof(GlorotUniform)] = "U(±√(6 / (fan_in + fan_out)))",
        [nameof(GlorotNormal)] = "truncated normal, std √(2 / (fan_in + fan_out))",
        [nameof(HeNormal)] = "truncated normal, std √(2 / fan_in)",
        [nameof(HeUniform)] = "U(±√(6 / fan_in))",
        [nameof(LecunNormal)] = "truncated normal, std √(1 / fan_in)",
        [nameof(LecunUniform)] = "U(±√(3 / fan_in))",
        [nameof(Orthogonal)] = "gain · Q of QR(normal (max(r,c), min(r,c))), r = ∏ dims but last, c = last dim; rank ≥ 2",
    };

    /// <summary>Every built-in initializer with its names, defaults and formula, in catalog order.</summary>
    public static IReadOnlyList<InitializerInfo> Catalog => [.. BuiltIns.Select(b => Describe(b.Type, b.Aliases))];

    private static InitializerInfo Describe(Type type, string[] aliases)
    {
        bool isRandom = type.IsSubclassOf(typeof(RandomInitializer));
        // A fixed seed keeps the process-wide Keras seed source untouched; the default seed is null.
        var instance = FromConfig(type.Name, isRandom ? new JsonObject { ["seed"] = 0 } : []);
        var defaults = (JsonObject)Serialize(instance)["config"]!;
        if (isRandom)
        {
            defaults["seed"] = null;
        }
        string[] names = [type.Name, Naming.ToSnakeCase(type.Name), .. aliases];
        return new InitializerInfo(type.Name, names, defaults, Formulas[type.Name], isRandom, PythonJson.Dumps(defaults));
    }
}
