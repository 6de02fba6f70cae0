using System.Text.Json.Nodes;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Saving;

/// <summary>
/// Reads one Keras config dict of a model file key by key, with errors that name the object and the key, and rejects
/// keys it did not read (Keras passes config keys as constructor arguments, so an unknown key is an error there too).
/// Errors are <see cref="InvalidDataException"/>s, and null counts as absent. Initializer configs are read by
/// <see cref="Initializers.InitializerConfigReader"/>.
/// </summary>
internal sealed class ModelConfigReader(JsonObject config, string context, Dictionary<string, object>? shared = null)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Objects already built for a <c>shared_object_id</c> in this model, so a shared instance stays shared.</summary>
    public Dictionary<string, object> Shared { get; } = shared ?? new(StringComparer.Ordinal);

    /// <summary>What the errors name, e.g. <c>layer 'dense' (Dense)</c>.</summary>
    public string Context { get; } = context;

    public JsonNode? Take(string key)
    {
        _read.Add(key);
        return config[key];
    }

    public string? OptionalString(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            _ when PythonJson.TryGetString(node, out string s) => s,
            _ => throw Error(key, "a string", node),
        };
    }

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new InvalidDataException($"Keras config: {Context} has no `{key}` (a string is required).");

    public bool Bool(string key, bool fallback)
    {
        var node = Take(key);
        return node switch
        {
            null => fallback,
            _ when PythonJson.TryGetBool(node, out bool b) => b,
            _ => throw Error(key, "true or false", node),
        };
    }

    public double Number(string key)
    {
        var node = Take(key);
        return PythonJson.TryGetNumber(node, out double value) ? value : throw Error(key, "a number", node);
    }

    public long? OptionalInteger(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            _ when PythonJson.TryGetInteger(node, out long l) => l,
            _ => throw Error(key, "an integer or null", node),
        };
    }

    public long Integer(string key) =>
        OptionalInteger(key) ?? throw new InvalidDataException($"Keras config: {Context} has no `{key}` (an integer is required).");

    /// <summary>A shape list such as <c>[null, 784]</c>; entries may be null.</summary>
    public long?[]? OptionalShape(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return null;
        }
        if (node is JsonArray array && array.All(a => a is null || PythonJson.TryGetInteger(a, out _)))
        {
            return [.. array.Select(a => PythonJson.TryGetInteger(a, out long d) ? d : (long?)null)];
        }
        throw Error(key, "a list of integers or nulls", node);
    }

    /// <summary>A key this library does not implement: only null (or absence) is accepted.</summary>
    public void RequireNull(string key, string why)
    {
        var node = Take(key);
        if (node is not null)
        {
            throw new InvalidDataException($"Keras config: {Context} sets `{key}`={node.ToJsonString()}, which is not supported ({why}).");
        }
    }

    /// <summary>Requires <paramref name="key"/> to be absent or equal to <paramref name="expected"/>.</summary>
    public void RequireValue(string key, bool expected, string why)
    {
        if (Bool(key, expected) != expected)
        {
            throw new InvalidDataException(
                $"Keras config: {Context} sets `{key}`={(!expected).ToString().ToLowerInvariant()}, which is not supported ({why}).");
        }
    }

    /// <summary>A layer's dtype: null, <c>"float32"</c>, or a (DTypePolicy / Policy) dict naming float32.</summary>
    public void RequireFloat32Dtype(string key)
    {
        var node = Take(key);
        string? name = node switch
        {
            null => "float32",
            JsonValue v when PythonJson.TryGetString(v, out string s) => s,
            JsonObject o when o["config"] is JsonObject c && PythonJson.TryGetString(c["name"], out string policy) => policy,
            _ => null,
        };
        if (name != "float32")
        {
            throw new InvalidDataException(
                $"Keras config: {Context} has dtype {node?.ToJsonString()}; only float32 is supported.");
        }
    }

    /// <summary>Fails on the first key that was never read.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, _) in config)
        {
            if (!_read.Contains(key))
            {
                throw new InvalidDataException(
                    $"Keras config: {Context} has the unexpected key `{key}`; known keys: {string.Join(", ", _read.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    public InvalidDataException Error(string key, string expected, JsonNode? got) =>
        new($"Keras config: {Context}: `{key}` must be {expected}; received {got?.ToJsonString() ?? "null"}.");
}
