using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Keras.Models;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Saving;

/// <summary>
/// A <see cref="Sequential"/>'s Keras 3 config: written as <c>serialize_keras_object(model)</c> writes it (what a
/// <c>.keras</c> archive's <c>config.json</c> holds), read from Keras 3 or Keras 2 JSON.
/// </summary>
/// <remarks>
/// Readable layer types: InputLayer, Dense, Dropout, Activation, Flatten; initializers come from
/// <see cref="Initializers.KerasInitializers"/>. Nothing else is instantiated. Settings this library does not implement
/// (regularizers, constraints, frozen layers, dtypes other than float32, LoRA, quantization) are rejected with an error
/// naming the layer and key rather than dropped. Layers are constructed in file order, so unseeded initializers and
/// dropout seed generators take their <see cref="Random.KerasRandom"/> draws in the same order as in Python Keras.
/// </remarks>
public static class ModelConfig
{
    /// <summary>The Keras layer class names a config may contain.</summary>
    public static IReadOnlyList<string> LayerClassNames => LayerRegistry.ClassNames;

    /// <summary>
    /// The model as Keras 3 serializes it: <c>{"module": "keras", "class_name": "Sequential", "config": {…},
    /// "registered_name": null, "build_config": {…}, "compile_config": {}}</c>, keys in Keras's order. The compile
    /// state is not recorded (<c>compile_config</c> is written empty, as for an uncompiled model).
    /// </summary>
    /// <exception cref="NotSupportedException">The model holds a layer type with no Keras config.</exception>
    public static JsonObject Serialize(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new JsonArray { InputLayerDict(model.Input) };
        var sharedIds = SharedInitializerIds(model);
        foreach (var layer in model.Layers)
        {
            var config = LayerRegistry.GetConfig(layer);
            if (layer is Dense dense)
            {
                MarkShared(config["kernel_initializer"]!.AsObject(), dense.KernelInitializer, sharedIds);
                MarkShared(config["bias_initializer"]!.AsObject(), dense.BiasInitializer, sharedIds);
            }
            layers.Add(new JsonObject
            {
                ["module"] = "keras.layers",
                ["class_name"] = LayerRegistry.ClassNameOf(layer),
                ["config"] = config,
                ["registered_name"] = null,
                ["build_config"] = new JsonObject { ["input_shape"] = BatchShape(layer.InputShape!) },
            });
        }
        return new JsonObject
        {
            ["module"] = "keras",
            ["class_name"] = "Sequential",
            ["config"] = new JsonObject
            {
                ["name"] = model.Name,
                ["trainable"] = true,
                ["dtype"] = LayerRegistry.DTypePolicy(),
                ["layers"] = layers,
                ["build_input_shape"] = BatchShape([.. model.Input.Shape]),
            },
            ["registered_name"] = null,
            ["build_config"] = new JsonObject { ["input_shape"] = BatchShape([.. model.Input.Shape]) },
            ["compile_config"] = new JsonObject(),
        };
    }

    /// <summary><see cref="Serialize"/> as Python's <c>json.dumps</c> prints it (one line, <c>", "</c> and <c>": "</c>).</summary>
    /// <exception cref="NotSupportedException">The model holds a layer type with no Keras config.</exception>
    public static string ToJson(Sequential model) => PythonJson.Dumps(Serialize(model));

    /// <summary>Parses Keras JSON and builds the model (see <see cref="Deserialize"/>).</summary>
    /// <exception cref="InvalidDataException">Not JSON, or any problem <see cref="Deserialize"/> reports.</exception>
    public static Sequential FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = PythonJson.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Keras config is not valid JSON: {e.Message}", e);
        }
        return Deserialize(node ?? throw new InvalidDataException("Keras config is JSON null; expected a Sequential config object."));
    }

    /// <summary>
    /// Builds a <see cref="Sequential"/> from <c>{"class_name": "Sequential", "config": {…}}</c> (Keras 3 with
    /// <c>module</c>, or Keras 2 without; extra top-level keys such as <c>keras_version</c> are allowed) or from the
    /// bare inner config (<c>model.get_config()</c>). Layer dicts may be Keras 3 or Keras 2 style. The input shape
    /// comes from an InputLayer, else from the first layer's <c>batch_input_shape</c>/<c>batch_shape</c>, else from
    /// <c>build_input_shape</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">A model class other than Sequential, an unknown layer type (named in the message), an unsupported setting, or a bad value.</exception>
    public static Sequential Deserialize(JsonNode config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config is not JsonObject root)
        {
            throw new InvalidDataException($"Keras config must be a JSON object; received {Describe(config)}.");
        }
        JsonObject inner = root;
        if (root.ContainsKey("class_name"))
        {
            string? className = PythonJson.TryGetString(root["class_name"], out string s) ? s : null;
            if (className != "Sequential")
            {
                throw new InvalidDataException(
                    $"Keras config describes a '{className ?? root["class_name"]?.ToJsonString()}' model; only Sequential models are supported.");
            }
            inner = root["config"] as JsonObject
                ?? throw new InvalidDataException("Keras config: the Sequential has no `config` object.");
        }
        var reader = new ModelConfigReader(inner, "model (Sequential)");
        string name = reader.RequiredString("name");
        reader.RequireValue("trainable", true, "frozen models are not implemented");
        reader.RequireFloat32Dtype("dtype");
        var layerList = reader.Take("layers") as JsonArray
            ?? throw new InvalidDataException("Keras config: the Sequential has no `layers` list.");
        var buildInputShape = reader.OptionalShape("build_input_shape");
        reader.RejectUnknown();
        var layers = new List<Layer>();
        var shared = new Dictionary<string, object>(StringComparer.Ordinal);
        for (int i = 0; i < layerList.Count; i++)
        {
            var layer = ReadLayer(layerList[i], i, layers.Count == 0, shared, out var declaredInput);
            if (layers.Count == 0 && layer is not InputLayer)
            {
                var shape = declaredInput ?? buildInputShape ?? (root["build_config"]?["input_shape"] is JsonArray a ? ToShape(a) : null)
                    ?? throw new InvalidDataException(
                        $"Keras config: the model '{name}' has no InputLayer and no input shape (batch_input_shape or build_input_shape); it cannot be built.");
                layers.Add(new InputLayer(InputDims(shape, "the model input"), null));
            }
            layers.Add(layer);
        }
        if (layers.Count == 0)
        {
            throw new InvalidDataException($"Keras config: the model '{name}' has no layers.");
        }
        CheckSize(name, layers);
        try
        {
            return new Sequential(layers, name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Keras config: the model '{name}' cannot be built: {e.Message}", e);
        }
    }

    /// <summary>
    /// Ids for initializer instances used by more than one layer. Keras writes <c>"shared_object_id"</c> (its
    /// <c>id()</c>, an arbitrary int) in every occurrence, so loading rebuilds one shared instance; numbered from 1 here.
    /// </summary>
    private static Dictionary<Initializers.Initializer, int> SharedInitializerIds(Sequential model)
    {
        var seen = new HashSet<Initializers.Initializer>(ReferenceEqualityComparer.Instance);
        var ids = new Dictionary<Initializers.Initializer, int>(ReferenceEqualityComparer.Instance);
        foreach (var initializer in model.Layers.OfType<Dense>().SelectMany(d => new[] { d.KernelInitializer, d.BiasInitializer }))
        {
            if (!seen.Add(initializer) && !ids.ContainsKey(initializer))
            {
                ids[initializer] = ids.Count + 1;
            }
        }
        return ids;
    }

    private static void MarkShared(JsonObject serialized, Initializers.Initializer initializer, Dictionary<Initializers.Initializer, int> ids)
    {
        if (ids.TryGetValue(initializer, out int id))
        {
            serialized["shared_object_id"] = id;
        }
    }

    /// <summary>
    /// Rejects a config whose weights would exceed <see cref="ArchiveLimits.MaxParameters"/> before any tensor is
    /// allocated, so a hostile config cannot exhaust memory when the model is built.
    /// </summary>
    private static void CheckSize(string name, List<Layer> layers)
    {
        long[] shape = [.. ((InputLayer)layers[0]).Shape];
        long parameters = 0;
        try
        {
            checked
            {
                _ = shape.Aggregate(1L, (a, b) => a * b);
                foreach (var layer in layers.Skip(1))
                {
                    if (layer is Dense dense)
                    {
                        parameters += shape[^1] * dense.Units + (dense.UseBias ? dense.Units : 0);
                    }
                    shape = layer.ComputeOutputShape(shape);
                    _ = shape.Aggregate(1L, (a, b) => a * b);
                }
            }
        }
        catch (OverflowException)
        {
            parameters = long.MaxValue;
        }
        if (parameters > ArchiveLimits.MaxParameters)
        {
            throw new InvalidDataException(
                $"Keras config: the model '{name}' would have {(parameters == long.MaxValue ? "more than 2^63" : parameters.ToString(System.Globalization.CultureInfo.InvariantCulture))} " +
                $"parameters; at most {ArchiveLimits.MaxParameters} are allowed.");
        }
    }

    private static Layer ReadLayer(JsonNode? node, int index, bool first, Dictionary<string, object> shared, out long?[]? declaredInput)
    {
        declaredInput = null;
        if (node is not JsonObject dict || !PythonJson.TryGetString(dict["class_name"], out string className))
        {
            throw new InvalidDataException($"Keras config: layer {index} is not a dict with a string `class_name`; received {Describe(node)}.");
        }
        if (dict.TryGetPropertyValue("module", out var module) && module is null)
        {
            throw new InvalidDataException(
                $"Keras config: layer {index} is the custom class '{className}' (module null); only built-in layer types are supported: {string.Join(", ", LayerRegistry.ClassNames)}.");
        }
        var config = dict["config"] as JsonObject
            ?? throw new InvalidDataException($"Keras config: layer {index} ('{className}') has no `config` object.");
        string label = PythonJson.TryGetString(config["name"], out string layerName) ? $"layer '{layerName}' ({className})" : $"layer {index} ({className})";
        var reader = new ModelConfigReader(config, label, shared);
        if (className == "InputLayer")
        {
            return ReadInputLayer(reader, first);
        }
        if (first)
        {
            declaredInput = reader.OptionalShape("batch_input_shape") ?? reader.OptionalShape("batch_shape");
        }
        var layer = LayerRegistry.Create(className, reader);
        reader.RejectUnknown();
        return layer;
    }

    private static InputLayer ReadInputLayer(ModelConfigReader r, bool first)
    {
        if (!first)
        {
            throw new InvalidDataException($"Keras config: {r.Context} is not the first layer; only the first layer may be an InputLayer.");
        }
        string? name = r.OptionalString("name");
        var batchShape = r.OptionalShape("batch_shape") ?? r.OptionalShape("batch_input_shape");
        var shape = r.OptionalShape("shape");
        r.Take("batch_size");
        r.RequireFloat32Dtype("dtype");
        r.RequireValue("sparse", false, "sparse inputs are not implemented");
        r.RequireValue("ragged", false, "ragged inputs are not implemented");
        r.RequireValue("optional", false, "optional inputs are not implemented");
        r.RequireNull("input_tensor", "input tensors cannot come from a file");
        r.RejectUnknown();
        long[] dims = batchShape is not null ? InputDims(batchShape, r.Context)
            : shape is not null ? InputDims([null, .. shape], r.Context)
            : throw new InvalidDataException($"Keras config: {r.Context} has neither `batch_shape` nor `shape`.");
        return new InputLayer(dims, name);
    }

    private static long[] InputDims(long?[] batchShape, string context)
    {
        if (batchShape.Length < 2 || batchShape.Skip(1).Any(d => d is null or <= 0))
        {
            throw new InvalidDataException(
                $"Keras config: {context} has batch shape [{string.Join(", ", batchShape.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"))}]; " +
                "every dimension after the batch must be a positive integer.");
        }
        return [.. batchShape.Skip(1).Select(d => d!.Value)];
    }

    private static long?[]? ToShape(JsonArray array) =>
        array.All(a => a is null || PythonJson.TryGetInteger(a, out _))
            ? [.. array.Select(a => PythonJson.TryGetInteger(a, out long d) ? d : (long?)null)]
            : null;

    private static JsonObject InputLayerDict(InputLayer input) => new()
    {
        ["module"] = "keras.layers",
        ["class_name"] = "InputLayer",
        ["config"] = new JsonObject
        {
            ["batch_shape"] = BatchShape([.. input.Shape]),
            ["dtype"] = "float32",
            ["sparse"] = false,
            ["ragged"] = false,
            ["name"] = input.Name,
            ["optional"] = false,
        },
        ["registered_name"] = null,
    };

    private static JsonArray BatchShape(long[] shape) => new([null, .. shape.Select(d => (JsonNode?)d)]);

    private static string Describe(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
