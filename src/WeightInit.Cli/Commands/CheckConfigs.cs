using System.Globalization;
using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Cli.Commands;

/// <summary>
/// Builds an initializer from a Keras name and a <c>--config</c> JSON object (Keras keys, e.g.
/// <c>{"stddev": 0.1}</c>) for <c>weightinit check</c>. Covers the classes of this tree only; once the library's
/// <c>KerasInitializers.FromConfig(className, JsonObject)</c> is merged, <see cref="Create"/> reduces to a call to it.
/// </summary>
internal static class CheckConfigs
{
    /// <summary>
    /// The initializer <paramref name="name"/> names, configured by <paramref name="config"/> (null: defaults). A random
    /// initializer whose config has no seed (or a null one) gets <paramref name="defaultSeed"/>, so draws repeat.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, unknown config key, or a value of the wrong type.</exception>
    public static Initializer Create(string name, JsonObject? config, long defaultSeed)
    {
        string className = KerasInitializers.Get(name).ClassName;
        var c = new Reader(className, config ?? []);
        Seed seed = c.Seed(defaultSeed);
        Initializer result = className switch
        {
            "Zeros" => new Zeros(),
            "Ones" => new Ones(),
            "RandomNormal" => new RandomNormal(c.Number("mean", 0.0), c.Number("stddev", 0.05), seed),
            "TruncatedNormal" => new TruncatedNormal(c.Number("mean", 0.0), c.Number("stddev", 0.05), seed),
            "RandomUniform" => new RandomUniform(c.Number("minval", -0.05), c.Number("maxval", 0.05), seed),
            "VarianceScaling" => new VarianceScaling(c.Number("scale", 1.0), c.Text("mode", "fan_in"),
                c.Text("distribution", "truncated_normal"), seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "GlorotUniform" => new GlorotUniform(seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "GlorotNormal" => new GlorotNormal(seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "HeNormal" => new HeNormal(seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "HeUniform" => new HeUniform(seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "LecunNormal" => new LecunNormal(seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "LecunUniform" => new LecunUniform(seed, c.Axes("input_axes"), c.Axes("output_axes")),
            "Orthogonal" => new Orthogonal(c.Number("gain", 1.0), seed),
            _ when c.IsEmpty => KerasInitializers.Get(name),
            _ => throw new ArgumentException($"--config is not supported for {className} by this command.", nameof(name)),
        };
        c.RejectUnused();
        return result;
    }

    /// <summary>Parses <c>--config</c>: a JSON object, or null when the option is absent.</summary>
    /// <exception cref="ArgumentException">Not a JSON object.</exception>
    public static JsonObject? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json) as JsonObject
                   ?? throw new ArgumentException($"--config must be a JSON object such as {{\"stddev\": 0.1}}; received {json}.", "--config");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"--config is not valid JSON ({e.Message}); received {json}.", "--config", e);
        }
    }

    private sealed class Reader(string className, JsonObject config)
    {
        private readonly HashSet<string> _used = [];

        public bool IsEmpty => config.Count == 0;

        public Seed Seed(long defaultSeed)
        {
            _used.Add("seed");
            return config["seed"] switch
            {
                null => defaultSeed,
                JsonValue v when v.TryGetValue(out long s) => s,
                var other => throw Bad("seed", "an integer or null", other),
            };
        }

        public double Number(string key, double fallback)
        {
            _used.Add(key);
            return config[key] switch
            {
                null when !config.ContainsKey(key) => fallback,
                JsonValue v when v.TryGetValue(out double d) => d,
                var other => throw Bad(key, "a number", other),
            };
        }

        public string Text(string key, string fallback)
        {
            _used.Add(key);
            return config[key] switch
            {
                null when !config.ContainsKey(key) => fallback,
                JsonValue v when v.TryGetValue(out string? s) => s,
                var other => throw Bad(key, "a string", other),
            };
        }

        public int[]? Axes(string key)
        {
            _used.Add(key);
            return config[key] switch
            {
                null => null,
                JsonArray a => [.. a.Select(e => e is JsonValue v && v.TryGetValue(out int i) ? i : throw Bad(key, "a list of integers", a))],
                var other => throw Bad(key, "a list of integers or null", other),
            };
        }

        public void RejectUnused()
        {
            var unknown = config.Select(p => p.Key).Where(k => !_used.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                string allowed = _used.Count == 0 ? "none" : string.Join(", ", _used);
                throw new ArgumentException(
                    $"Unknown --config key(s) for {className}: {string.Join(", ", unknown)}; allowed: {allowed}.", "--config");
            }
        }

        private ArgumentException Bad(string key, string wanted, JsonNode? got) =>
            new($"--config key '{key}' of {className} must be {wanted}; received {got?.ToJsonString() ?? "null"}.", "--config");
    }

    /// <summary>Formats a config for tables: <c>{"stddev": 0.1}</c>, or empty when there is none.</summary>
    public static string Describe(JsonObject? config) =>
        config is null || config.Count == 0
            ? ""
            : "{" + string.Join(", ", config.Select(p => $"\"{p.Key}\": {p.Value?.ToJsonString() ?? "null"}")) + "}";

    /// <summary>Parses <c>--shape</c>: comma-separated non-negative dims (<c>512,256</c>); an empty string is the scalar shape.</summary>
    /// <exception cref="ArgumentException">A dim that is not a non-negative integer.</exception>
    public static long[] ParseShape(string text)
    {
        string trimmed = text.Trim().Trim('(', ')', '[', ']');
        if (trimmed.Length == 0)
        {
            return [];
        }
        return [.. trimmed.Split([',', 'x', '×'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d =>
            long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
                ? v
                : throw new ArgumentException($"--shape takes comma-separated non-negative integers such as 512,256; received '{text}'.", "--shape"))];
    }
}
