using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Reads one initializer config as Keras's <c>cls(**config)</c> binds it: each key to its argument, missing keys to
/// the default, and any key left over to an error naming the keys the class takes.
/// </summary>
internal sealed class ConfigReader
{
    private readonly string _className;
    private readonly JsonObject _config;

    /// <summary>Checks the keys first, so a bad config fails before anything is built (or a seed drawn).</summary>
    public ConfigReader(string className, JsonObject config, IReadOnlyList<string> keys)
    {
        _className = className;
        _config = config;
        var unknown = config.Select(p => p.Key).Where(k => !keys.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            string takes = keys.Count == 0 ? "no config keys" : $"only {string.Join(", ", keys)}";
            throw new ArgumentException(
                $"{className} could not be deserialized: unknown config key(s) {string.Join(", ", unknown)}; " +
                $"{className} takes {takes}. config={config.ToJsonString()}", unknown[0]);
        }
    }

    public double Double(string key, double defaultValue)
    {
        var node = Take(key);
        if (node is null)
        {
            return _config.ContainsKey(key) ? throw Error(key, "a number", node) : defaultValue;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return v.GetValue<double>();
        }
        if (node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return b.GetValue<bool>() ? 1.0 : 0.0;
        }
        throw Error(key, "a number", node);
    }

    public bool Bool(string key, bool defaultValue)
    {
        var node = Take(key);
        if (node is null && !_config.ContainsKey(key))
        {
            return defaultValue;
        }
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }
        throw Error(key, "true or false", node);
    }

    public string? String(string key, string? defaultValue)
    {
        var node = Take(key);
        if (node is null)
        {
            return _config.ContainsKey(key) ? null : defaultValue;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        throw Error(key, "a string", node);
    }

    public IReadOnlyList<int>? Axes(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return null;
        }
        if (node is JsonArray array && array.All(IsInteger))
        {
            return [.. array.Select(a => int.Parse(a!.ToJsonString(), CultureInfo.InvariantCulture))];
        }
        throw Error(key, "null or a list of integer axes", node);
    }

    public (string? Name, IReadOnlyList<double>? Values) Window(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return _config.ContainsKey(key) ? (null, null) : ("hann", null);
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return (v.GetValue<string>(), null);
        }
        if (node is JsonArray array && array.All(a => a is JsonValue n && n.GetValueKind() == JsonValueKind.Number))
        {
            return (null, [.. array.Select(a => a!.GetValue<double>())]);
        }
        throw Error(key, "a SciPy window name, a list of numbers or null", node);
    }

    /// <summary>
    /// The seed as Keras's <c>RandomInitializer</c> takes it: null, an integer (a bool counts, as in Python), or a
    /// serialized SeedGenerator.
    /// </summary>
    public Seed? Seed()
    {
        const string Key = "seed";
        var node = Take(Key);
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when IsInteger(v):
                return Random.Seed.Of(BigInteger.Parse(v.ToJsonString(), CultureInfo.InvariantCulture));
            case JsonValue b when b.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return Random.Seed.Of(b.GetValue<bool>() ? 1 : 0);
            case JsonObject o when o["class_name"] is JsonValue c && c.GetValueKind() == JsonValueKind.String
                                   && c.GetValue<string>() == nameof(SeedGenerator):
                return Random.Seed.Of(ReadSeedGenerator(o));
            default:
                throw new ArgumentException(
                    "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an integer. " +
                    $"Received: seed={node.ToJsonString()}", Key);
        }
    }

    private static SeedGenerator ReadSeedGenerator(JsonObject serialized)
    {
        var inner = serialized["config"] as JsonObject ?? [];
        long? seed = inner["seed"] switch
        {
            null => null,
            JsonValue v when IsInteger(v) && long.TryParse(v.ToJsonString(), CultureInfo.InvariantCulture, out long s) => s,
            var other => throw new ArgumentException(
                $"Argument `seed` of a SeedGenerator must be an integer. Received: seed={other.ToJsonString()}", "seed"),
        };
        string? name = inner["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
        return new SeedGenerator(seed, name);
    }

    private static bool IsInteger(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.ToJsonString().All(c => char.IsAsciiDigit(c) || c == '-');

    private JsonNode? Take(string key) => _config[key];

    private ArgumentException Error(string key, string expected, JsonNode? node) =>
        new($"{_className}: config key '{key}' must be {expected}; received {node?.ToJsonString() ?? "null"}.", key);
}
