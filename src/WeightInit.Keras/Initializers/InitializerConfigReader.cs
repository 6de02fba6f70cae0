using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using WeightInit.Keras.Random;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Reads one initializer config as Keras's <c>cls(**config)</c> binds it: each key to its argument, missing keys to
/// the default, and any key left over to an error naming the keys the class takes. Errors are
/// <see cref="ArgumentException"/>s named after the key, and a key set to null differs from a missing key, as an explicit
/// <c>None</c> differs from the default in Python. Model files are read by <see cref="Saving.ModelConfigReader"/>.
/// </summary>
internal sealed class InitializerConfigReader
{
    private readonly string _className;
    private readonly JsonObject _config;

    /// <summary>Checks the keys first, so a bad config fails before anything is built (or a seed drawn).</summary>
    public InitializerConfigReader(string className, JsonObject config, IReadOnlyList<string> keys)
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
        if (PythonJson.TryGetNumber(node, out double number))
        {
            return number;
        }
        if (PythonJson.TryGetBool(node, out bool b))
        {
            return b ? 1.0 : 0.0;
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
        if (PythonJson.TryGetBool(node, out bool value))
        {
            return value;
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
        if (PythonJson.TryGetString(node, out string value))
        {
            return value;
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
        if (node is JsonArray array && array.All(PythonJson.IsInteger))
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
        if (PythonJson.TryGetString(node, out string name))
        {
            return (name, null);
        }
        if (node is JsonArray array)
        {
            var values = new List<double>(array.Count);
            foreach (var item in array)
            {
                if (!PythonJson.TryGetNumber(item, out double value))
                {
                    break;
                }
                values.Add(value);
            }
            if (values.Count == array.Count)
            {
                return (null, values);
            }
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
            case JsonValue v when PythonJson.IsInteger(v):
                return Random.Seed.Of(BigInteger.Parse(v.ToJsonString(), CultureInfo.InvariantCulture));
            case JsonValue v when PythonJson.TryGetBool(v, out bool b):
                return Random.Seed.Of(b ? 1 : 0);
            case JsonObject o when PythonJson.TryGetString(o["class_name"], out string c) && c == nameof(SeedGenerator):
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
            var v when PythonJson.TryGetInteger(v, out long s) => s,
            var other => throw new ArgumentException(
                $"Argument `seed` of a SeedGenerator must be an integer. Received: seed={other.ToJsonString()}", "seed"),
        };
        string? name = PythonJson.TryGetString(inner["name"], out string n) ? n : null;
        return new SeedGenerator(seed, name);
    }

    private JsonNode? Take(string key) => _config[key];

    private ArgumentException Error(string key, string expected, JsonNode? node) =>
        new($"{_className}: config key '{key}' must be {expected}; received {node?.ToJsonString() ?? "null"}.", key);
}
