using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Saving;

/// <summary>
/// The layer classes a config may name, each with its Keras config writer and reader. Nothing outside this table
/// (and the initializer catalog) is ever instantiated from a file.
/// </summary>
internal static class LayerRegistry
{
    private sealed record Entry(string ClassName, Type Type, Action<Layer, JsonObject> Write, Func<ModelConfigReader, string?, Layer> Read);

    private static readonly Entry[] Entries =
    [
        new("Dense", typeof(Dense), WriteDense, ReadDense),
        new("Dropout", typeof(Dropout), WriteDropout, ReadDropout),
        new("Activation", typeof(Activation), (l, c) => c["activation"] = ((Activation)l).Function,
            (r, name) => new Activation(ReadActivation(r), name)),
        new("Flatten", typeof(Flatten), (l, c) => c["data_format"] = ((Flatten)l).DataFormat,
            (r, name) => new Flatten(r.OptionalString("data_format") ?? "channels_last", name)),
    ];

    /// <summary>The Keras class names that can be read (InputLayer included).</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["InputLayer", .. Entries.Select(e => e.ClassName)];

    /// <summary>The Keras class name of a layer this library can write.</summary>
    /// <exception cref="NotSupportedException">A layer type with no Keras config.</exception>
    public static string ClassNameOf(Layer layer) => layer is InputLayer ? "InputLayer" : Find(layer).ClassName;

    /// <summary>The layer's Keras config: <c>name</c>, <c>trainable</c>, <c>dtype</c>, then the class's keys.</summary>
    public static JsonObject GetConfig(Layer layer)
    {
        var config = new JsonObject
        {
            ["name"] = layer.Name,
            ["trainable"] = true,
            ["dtype"] = DTypePolicy(),
        };
        Find(layer).Write(layer, config);
        return config;
    }

    /// <summary>Builds a registered layer (not InputLayer) from its class name and config.</summary>
    /// <exception cref="InvalidDataException">Unknown class, unsupported setting, or a bad value.</exception>
    public static Layer Create(string className, ModelConfigReader reader)
    {
        var entry = Entries.FirstOrDefault(e => e.ClassName == className)
            ?? throw new InvalidDataException(
                $"Keras config: unknown layer type '{className}'; supported layer types: {string.Join(", ", ClassNames)}.");
        string? name = reader.OptionalString("name");
        reader.RequireValue("trainable", true, "frozen layers are not implemented");
        reader.RequireFloat32Dtype("dtype");
        try
        {
            return entry.Read(reader, name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Keras config: {reader.Context}: {e.Message}", e);
        }
    }

    /// <summary>Keras's global float32 <c>DTypePolicy</c> as it serializes.</summary>
    public static JsonObject DTypePolicy() => new()
    {
        ["module"] = "keras",
        ["class_name"] = "DTypePolicy",
        ["config"] = new JsonObject { ["name"] = "float32" },
        ["registered_name"] = null,
    };

    private static Entry Find(Layer layer) =>
        Entries.FirstOrDefault(e => e.Type == layer.GetType())
        ?? throw new NotSupportedException(
            $"Layer '{layer.Name}' of type {layer.GetType().Name} has no Keras config; savable layer types: {string.Join(", ", ClassNames)}.");

    private static void WriteDense(Layer layer, JsonObject config)
    {
        var dense = (Dense)layer;
        config["units"] = dense.Units;
        config["activation"] = dense.Activation;
        config["use_bias"] = dense.UseBias;
        config["kernel_initializer"] = KerasInitializers.Serialize(dense.KernelInitializer);
        config["bias_initializer"] = KerasInitializers.Serialize(dense.BiasInitializer);
        config["kernel_regularizer"] = null;
        config["bias_regularizer"] = null;
        config["kernel_constraint"] = null;
        config["bias_constraint"] = null;
        config["quantization_config"] = null;
    }

    private static Dense ReadDense(ModelConfigReader r, string? name)
    {
        long units = r.Integer("units");
        if (units is <= 0 or > int.MaxValue)
        {
            throw new InvalidDataException(
                $"Keras config: {r.Context}: Received an invalid value for `units`, expected a positive integer. Received: units={units}.");
        }
        string activation = ReadActivation(r);
        bool useBias = r.Bool("use_bias", true);
        var kernel = ReadInitializer(r, "kernel_initializer", "glorot_uniform");
        var bias = ReadInitializer(r, "bias_initializer", "zeros");
        foreach (string key in (string[])["kernel_regularizer", "bias_regularizer", "activity_regularizer"])
        {
            r.RequireNull(key, "regularizers are not implemented");
        }
        foreach (string key in (string[])["kernel_constraint", "bias_constraint"])
        {
            r.RequireNull(key, "constraints are not implemented");
        }
        r.RequireNull("quantization_config", "quantization is not implemented");
        r.RequireNull("lora_rank", "LoRA is not implemented");
        r.Take("lora_alpha");
        return new Dense((int)units, activation, useBias, kernel, bias, name);
    }

    private static void WriteDropout(Layer layer, JsonObject config)
    {
        var dropout = (Dropout)layer;
        config["rate"] = dropout.Rate;
        config["seed"] = dropout.Seed;
        config["noise_shape"] = dropout.NoiseShape is null ? null : new JsonArray([.. dropout.NoiseShape.Select(d => (JsonNode?)d)]);
    }

    private static Dropout ReadDropout(ModelConfigReader r, string? name)
    {
        double rate = r.Number("rate");
        long? seed = r.OptionalInteger("seed");
        var noiseShape = r.OptionalShape("noise_shape");
        return new Dropout(rate, noiseShape, seed, name);
    }

    private static string ReadActivation(ModelConfigReader r)
    {
        var node = r.Take("activation");
        if (PythonJson.TryGetString(node, out string s))
        {
            return s;
        }
        return node is null ? "linear" : throw r.Error("activation", "an activation name", node);
    }

    /// <summary>
    /// Reads an initializer (name, Keras 3 or Keras 2 dict) through the catalog, in reading order. A dict carrying
    /// <c>shared_object_id</c> seen before returns the instance built then, as Keras's object-sharing scope does, so an
    /// unseeded instance shared by several layers keeps one seed.
    /// </summary>
    private static Initializer ReadInitializer(ModelConfigReader r, string key, string fallback)
    {
        var node = r.Take(key);
        string? sharedId = node is JsonObject o && o["shared_object_id"] is JsonValue id ? "initializer:" + id.ToJsonString() : null;
        if (sharedId is not null && r.Shared.TryGetValue(sharedId, out var existing))
        {
            return (Initializer)existing;
        }
        try
        {
            var initializer = node is null ? KerasInitializers.Get(fallback) : KerasInitializers.Deserialize(node);
            if (sharedId is not null)
            {
                r.Shared[sharedId] = initializer;
            }
            return initializer;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Keras config: {r.Context}: `{key}`: {e.Message}", e);
        }
    }
}
