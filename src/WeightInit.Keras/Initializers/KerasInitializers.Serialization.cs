using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Keras.Random;
using WeightInit.Keras.Saving;

namespace WeightInit.Keras.Initializers;

public static partial class KerasInitializers
{
    private static readonly Dictionary<string, Type> TypeByName = BuildTypeTable();

    /// <summary>
    /// Keras's <c>serialize</c> of an initializer: <c>{"module": "keras.initializers", "class_name", "config",
    /// "registered_name": null}</c>, config keys in Keras's order.
    /// </summary>
    public static JsonObject Serialize(Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        var config = new JsonObject();
        foreach (var (key, value) in initializer.GetConfig())
        {
            config[key] = ToNode(value);
        }
        return new JsonObject
        {
            ["module"] = "keras.initializers",
            ["class_name"] = initializer.ClassName,
            ["config"] = config,
            ["registered_name"] = null,
        };
    }

    /// <summary><see cref="Serialize"/> as Python's <c>json.dumps</c> prints it.</summary>
    public static string ToJson(Initializer initializer) => PyJson.Dumps(Serialize(initializer));

    /// <summary>
    /// Keras's <c>deserialize</c>: a bare name, a Keras 3 dict (<c>module</c>, <c>class_name</c>, <c>config</c>,
    /// <c>registered_name</c>) or a Keras 2 dict (<c>class_name</c>, <c>config</c>). Only built-in classes are
    /// instantiated.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown class or name, a dict without <c>class_name</c>, or a bad config.</exception>
    public static Initializer Deserialize(JsonNode config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return Get(value.GetValue<string>());
        }
        if (config is not JsonObject obj)
        {
            throw new ArgumentException($"Could not interpret initializer identifier: {config.ToJsonString()}.", nameof(config));
        }
        if (obj["class_name"] is not JsonValue nameNode || nameNode.GetValueKind() != JsonValueKind.String)
        {
            throw new ArgumentException($"Unknown `config` as a `dict`, config={obj.ToJsonString()} (no string `class_name`).", nameof(config));
        }
        string className = nameNode.GetValue<string>();
        if (obj.TryGetPropertyValue("module", out var module) && module is null)
        {
            throw new ArgumentException(
                $"Cannot deserialize object of type `{className}`: it is a custom class (module null), and only built-in initializers are allowed.",
                nameof(config));
        }
        var inner = obj["config"];
        if (inner is not null and not JsonObject)
        {
            throw new ArgumentException($"The `config` of initializer '{className}' must be a JSON object; received {inner.ToJsonString()}.", nameof(config));
        }
        return FromConfig(className, (JsonObject?)inner ?? []);
    }

    /// <summary>Parses <paramref name="json"/> and calls <see cref="Deserialize(JsonNode)"/>.</summary>
    /// <exception cref="ArgumentException">Not JSON, or see <see cref="Deserialize(JsonNode)"/>.</exception>
    public static Initializer Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = PyJson.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Initializer JSON is not valid JSON: {e.Message}", nameof(json), e);
        }
        return Deserialize(node ?? throw new ArgumentException("Initializer JSON is null.", nameof(json)));
    }

    /// <summary>Keras's <c>cls.from_config(config)</c> for the built-in class <paramref name="className"/> (any accepted name).</summary>
    /// <exception cref="ArgumentException">Unknown class, an unknown config key, or a value of the wrong type.</exception>
    public static Initializer FromConfig(string className, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        if (!TypeByName.TryGetValue(className, out var type))
        {
            throw new ArgumentException(UnknownMessage(className), nameof(className));
        }
        string[] allowed = type switch
        {
            _ when type == typeof(Zeros) || type == typeof(Ones) => [],
            _ when type == typeof(RandomNormal) || type == typeof(TruncatedNormal) => ["seed", "mean", "stddev"],
            _ when type == typeof(RandomUniform) => ["seed", "minval", "maxval"],
            _ when type == typeof(VarianceScaling) => ["seed", "scale", "mode", "distribution", "input_axes", "output_axes"],
            _ when type == typeof(Orthogonal) => ["seed", "gain"],
            _ => ["seed", "input_axes", "output_axes"],
        };
        foreach (var (key, _) in config)
        {
            if (!allowed.Contains(key))
            {
                throw new ArgumentException(
                    $"{type.Name} could not be deserialized: unexpected config key '{key}'; allowed keys: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))}.",
                    nameof(config));
            }
        }
        Seed? seed = ReadSeed(config, type.Name);
        double Num(string key, double fallback) => ReadDouble(config, key, fallback, type.Name);
        int[]? Axes(string key) => ReadAxes(config, key, type.Name);
        return type.Name switch
        {
            nameof(Zeros) => new Zeros(),
            nameof(Ones) => new Ones(),
            nameof(RandomNormal) => new RandomNormal(Num("mean", 0.0), Num("stddev", 0.05), seed),
            nameof(TruncatedNormal) => new TruncatedNormal(Num("mean", 0.0), Num("stddev", 0.05), seed),
            nameof(RandomUniform) => new RandomUniform(Num("minval", -0.05), Num("maxval", 0.05), seed),
            nameof(VarianceScaling) => new VarianceScaling(Num("scale", 1.0), ReadString(config, "mode", "fan_in", type.Name),
                ReadString(config, "distribution", "truncated_normal", type.Name), seed, Axes("input_axes"), Axes("output_axes")),
            nameof(Orthogonal) => new Orthogonal(Num("gain", 1.0), seed),
            nameof(GlorotUniform) => new GlorotUniform(seed, Axes("input_axes"), Axes("output_axes")),
            nameof(GlorotNormal) => new GlorotNormal(seed, Axes("input_axes"), Axes("output_axes")),
            nameof(HeNormal) => new HeNormal(seed, Axes("input_axes"), Axes("output_axes")),
            nameof(HeUniform) => new HeUniform(seed, Axes("input_axes"), Axes("output_axes")),
            nameof(LecunNormal) => new LecunNormal(seed, Axes("input_axes"), Axes("output_axes")),
            _ => new LecunUniform(seed, Axes("input_axes"), Axes("output_axes")),
        };
    }

    private static Dictionary<string, Type> BuildTypeTable()
    {
        var table = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var (type, aliases, _) in BuiltIns)
        {
            table[type.Name] = type;
            table[Naming.ToSnakeCase(type.Name)] = type;
            foreach (string alias in aliases)
            {
                table[alias] = type;
            }
        }
        return table;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        BigInteger big => JsonNode.Parse(big.ToString(CultureInfo.InvariantCulture)),
        SeedGenerator g => new JsonObject
        {
            ["module"] = "keras.random",
            ["class_name"] = "SeedGenerator",
            ["config"] = new JsonObject
            {
                ["seed"] = g.InitialSeed is { } s ? JsonValue.Create(s) : null,
                ["name"] = g.Name,
            },
            ["registered_name"] = null,
        },
        IEnumerable<int> axes => new JsonArray([.. axes.Select(a => (JsonNode?)JsonValue.Create(a))]),
        _ => throw new InvalidOperationException($"Cannot serialize config value of type {value.GetType().Name}."),
    };

    private static Seed? ReadSeed(JsonObject config, string className)
    {
        var node = config["seed"];
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number
                                  && BigInteger.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big):
                return Seed.Of(big);
            case JsonObject { } o when o["class_name"]?.GetValueKind() == JsonValueKind.String && (string?)o["class_name"] == "SeedGenerator":
                var inner = o["config"] as JsonObject ?? [];
                long? initial = PyJson.TryGetInteger(inner["seed"], out long seedValue) ? seedValue : null;
                if (inner["seed"] is not null && initial is null)
                {
                    throw new ArgumentException($"{className} seed generator seed must be an integer; received {inner["seed"]!.ToJsonString()}.", nameof(config));
                }
                string? name = inner["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
                return Seed.Of(new SeedGenerator(initial, name));
            default:
                throw new ArgumentException(
                    $"{className} `seed` must be an integer, a SeedGenerator dict or null; received seed={node.ToJsonString()}.", nameof(config));
        }
    }

    private static double ReadDouble(JsonObject config, string key, double fallback, string className)
    {
        var node = config[key];
        if (node is null)
        {
            return config.ContainsKey(key)
                ? throw new ArgumentException($"{className} `{key}` must be a number; received null.", nameof(config))
                : fallback;
        }
        if (PyJson.TryGetNumber(node, out double value))
        {
            return value;
        }
        throw new ArgumentException($"{className} `{key}` must be a number; received {node.ToJsonString()}.", nameof(config));
    }

    private static string ReadString(JsonObject config, string key, string fallback, string className)
    {
        var node = config[key];
        if (node is null && !config.ContainsKey(key))
        {
            return fallback;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        throw new ArgumentException($"{className} `{key}` must be a string; received {node?.ToJsonString() ?? "null"}.", nameof(config));
    }

    private static int[]? ReadAxes(JsonObject config, string key, string className)
    {
        var node = config[key];
        if (node is null)
        {
            return null;
        }
        if (node is JsonArray array && array.All(a => PyJson.TryGetInteger(a, out long axis) && axis is >= int.MinValue and <= int.MaxValue))
        {
            return [.. array.Select(a => PyJson.TryGetInteger(a, out long axis) ? (int)axis : 0)];
        }
        throw new ArgumentException($"{className} `{key}` must be a list of integers or null; received {node.ToJsonString()}.", nameof(config));
    }
}
