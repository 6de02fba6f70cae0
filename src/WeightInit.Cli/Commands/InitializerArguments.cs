using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;

namespace WeightInit.Cli.Commands;

/// <summary>The initializer arguments <c>sample</c> and <c>check</c> share: a name, <c>--config</c>, <c>--seed</c>, <c>--shape</c>.</summary>
internal static class InitializerArguments
{
    /// <summary>Parses <c>--config</c>: a JSON object of Keras config keys; null or absent means an empty config.</summary>
    /// <exception cref="ArgumentException">Not valid JSON, or not an object.</exception>
    public static JsonObject ParseConfig(string? configText)
    {
        if (configText is null)
        {
            return [];
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(configText);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--config is not valid JSON ({e.Message}); received: {Shorten(configText)}", "config", e);
        }
        return node as JsonObject
            ?? throw new ArgumentException($"--config must be a JSON object such as '{{\"stddev\": 0.1}}'; received: {Shorten(configText)}", "config");
    }

    /// <summary>True when the name is a built-in random initializer (one that takes a seed).</summary>
    public static bool IsRandom(string name) =>
        KerasInitializers.Catalog.FirstOrDefault(i => i.Names.Contains(name)) is not { IsRandom: false };

    /// <summary>
    /// The initializer <paramref name="name"/> with <paramref name="config"/> through Keras's <c>from_config</c>;
    /// <paramref name="seed"/>, when given, becomes the config's <c>seed</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or config key, a seed for a non-random initializer, or two seeds.</exception>
    public static Initializer Build(string name, JsonObject config, long? seed)
    {
        KerasInitializers.RequireKnown(name);
        if (seed is not null)
        {
            if (!IsRandom(name))
            {
                throw new ArgumentException($"--seed: {KerasInitializers.Get(name).ClassName} is not random and takes no seed.", "seed");
            }
            if (config.ContainsKey("seed"))
            {
                throw new ArgumentException($"Give the seed once: --seed {seed} and a \"seed\" in --config.", "seed");
            }
            config["seed"] = seed.Value;
        }
        return KerasInitializers.FromConfig(name, config);
    }

    /// <summary>Most elements a command draws at once: 2^28 (1 GiB of float32), so a typo cannot exhaust memory.</summary>
    public const long MaxElements = 1L << 28;

    /// <summary>Parses "784,256" into dimensions; an empty string is a scalar shape.</summary>
    /// <exception cref="ArgumentException">A part that is not an integer, or more than <see cref="MaxElements"/> elements.</exception>
    public static long[] ParseShape(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var dims = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out dims[i]))
            {
                throw new ArgumentException(
                    $"--shape must be comma-separated integers such as 784,256 (\"\" for a scalar); received '{text}' ('{parts[i]}' is not an integer).",
                    "shape");
            }
        }
        double elements = dims.Aggregate(1.0, (product, d) => product * Math.Max(d, 0));
        if (elements > MaxElements)
        {
            throw new ArgumentException(
                $"--shape {text} has {elements:G4} elements; the command line draws at most {MaxElements:N0} (1 GiB of float32). Use the library for larger tensors.",
                "shape");
        }
        return dims;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + $"… ({text.Length} characters)";
}
