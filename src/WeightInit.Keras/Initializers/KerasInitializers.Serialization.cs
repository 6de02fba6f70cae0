using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Keras.Random;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Initializers;

/// <summary>Keras 3 serialization of initializers: <c>serialize</c>, <c>deserialize</c>, <c>from_config</c>, and custom classes.</summary>
public static partial class KerasInitializers
{
    private const string KerasModule = "keras.initializers";

    private static readonly string[] PresetKeys = ["seed", "input_axes", "output_axes"];

    /// <summary>The config keys of each built-in, in Keras's order (spec §8.1).</summary>
    private static readonly Dictionary<string, string[]> ConfigKeys = new(StringComparer.Ordinal)
    {
        [nameof(Zeros)] = [],
        [nameof(Ones)] = [],
        [nameof(Constant)] = ["value"],
        [nameof(Identity)] = ["gain"],
        [nameof(STFT)] = ["side", "window", "periodic", "scaling"],
        [nameof(RandomNormal)] = ["seed", "mean", "stddev"],
        [nameof(TruncatedNormal)] = ["seed", "mean", "stddev"],
        [nameof(RandomUniform)] = ["seed", "minval", "maxval"],
        [nameof(VarianceScaling)] = ["seed", "scale", "mode", "distribution", "input_axes", "output_axes"],
        [nameof(GlorotUniform)] = PresetKeys,
        [nameof(GlorotNormal)] = PresetKeys,
        [nameof(HeNormal)] = PresetKeys,
        [nameof(HeUniform)] = PresetKeys,
        [nameof(LecunNormal)] = PresetKeys,
        [nameof(LecunUniform)] = PresetKeys,
        [nameof(Orthogonal)] = ["seed", "gain"],
    };
    private static readonly object RegistryGate = new();
    private static readonly Dictionary<string, (Type Type, Func<JsonObject, Initializer> FromConfig)> Registered =
        new(StringComparer.Ordinal);
    private static readonly Dictionary<Type, string> RegisteredNames = [];

    /// <summary>
    /// Registers a custom initializer as Keras's <c>@keras.saving.register_keras_serializable(package, name)</c> does:
    /// it serializes with <c>"registered_name": "package&gt;name"</c>, and <see cref="Deserialize(JsonNode)"/> and
    /// <see cref="Get(string)"/> find it by that name. Registering the same name again replaces the entry.
    /// </summary>
    /// <exception cref="ArgumentException">An empty package or name, or one containing '&gt;'.</exception>
    public static void Register<T>(string package, string name, Func<JsonObject, T> fromConfig)
        where T : Initializer
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(package);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(fromConfig);
        if (package.Contains('>') || name.Contains('>'))
        {
            throw new ArgumentException($"Package and name may not contain '>'; received package='{package}', name='{name}'.", nameof(package));
        }
        string registered = $"{package}>{name}";
        lock (RegistryGate)
        {
            Registered[registered] = (typeof(T), config => fromConfig(config));
            RegisteredNames[typeof(T)] = registered;
        }
    }

    /// <summary>
    /// The Keras 3 dict of an initializer: <c>module</c>, <c>class_name</c>, <c>config</c> (<see cref="Initializer.GetConfig"/>
    /// with each value serialized), <c>registered_name</c>, in that order. Built-ins have module
    /// <c>keras.initializers</c> and registered_name null; a registered custom class has its .NET namespace as module
    /// and <c>"package&gt;name"</c>; an unregistered custom class has its class name as registered_name.
    /// </summary>
    /// <exception cref="ArgumentException">A config value that has no JSON form.</exception>
    public static JsonObject Serialize(Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        var config = new JsonObject();
        foreach (var (key, value) in initializer.GetConfig())
        {
            config[key] = ToNode(value, key);
        }
        bool builtIn = BuiltInClassNames.Contains(initializer.ClassName) && initializer.GetType().Assembly == typeof(Initializer).Assembly;
        string? registered;
        lock (RegistryGate)
        {
            registered = RegisteredNames.GetValueOrDefault(initializer.GetType());
        }
        return new JsonObject
        {
            ["module"] = builtIn ? KerasModule : initializer.GetType().Namespace,
            ["class_name"] = initializer.ClassName,
            ["config"] = config,
            ["registered_name"] = builtIn ? null : registered ?? initializer.ClassName,
        };
    }

    /// <summary>
    /// <see cref="Serialize"/> as one line of JSON written exactly as Python's <c>json.dumps</c> writes it:
    /// <c>", "</c> and <c>": "</c> separators, <c>null</c>, floats as Python's <c>repr</c> (<c>0.05</c>, <c>1.0</c>,
    /// <c>1e-05</c>), non-ASCII escaped.
    /// </summary>
    public static string ToJson(Initializer initializer) => PythonJson.Dumps(Serialize(initializer));

    /// <summary>
    /// An initializer from its serialized form: a Keras 3 dict (<c>module</c>, <c>class_name</c>, <c>config</c>,
    /// <c>registered_name</c>), a Keras 2 dict (<c>class_name</c>, <c>config</c>) or a bare string name. A missing or
    /// null config counts as <c>{}</c>; <c>module</c> is ignored except that <c>null</c> marks a custom class, which
    /// must be registered.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// No <c>class_name</c>, an unknown or unregistered name (the message says how to register it), a config key the
    /// class does not take, or an argument the class rejects.
    /// </exception>
    public static Initializer Deserialize(JsonNode config)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (config)
        {
            case JsonValue value when PythonJson.TryGetString(value, out string name):
                return Get(name);
            case JsonObject dict:
                return DeserializeDict(dict);
            default:
                throw new ArgumentException(
                    $"Could not interpret initializer identifier: {config.ToJsonString()}. Expected a name or a dict with a `class_name`.",
                    nameof(config));
        }
    }

    /// <summary>
    /// <see cref="Deserialize(JsonNode)"/> of JSON text (a dict or a quoted name). Text that does not start with
    /// <c>{</c> or <c>"</c> is taken as a bare name, so <c>Deserialize("he_normal")</c> works too.
    /// </summary>
    /// <exception cref="ArgumentException">Malformed JSON, or anything <see cref="Deserialize(JsonNode)"/> rejects.</exception>
    public static Initializer Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        string trimmed = json.TrimStart();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('"'))
        {
            return Get(json.Trim());
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Malformed initializer JSON: {e.Message}", nameof(json), e);
        }
        return Deserialize(node ?? throw new ArgumentException("Initializer JSON is null.", nameof(json)));
    }

    /// <summary><see cref="Deserialize(JsonNode)"/>, as Keras's <c>get</c> on a dict.</summary>
    /// <exception cref="ArgumentException">See <see cref="Deserialize(JsonNode)"/>.</exception>
    public static Initializer Get(JsonNode identifier) => Deserialize(identifier);

    /// <summary>The instance itself, not a copy, as Keras's <c>get</c> returns an instance.</summary>
    public static Initializer Get(Initializer identifier) => identifier ?? throw new ArgumentNullException(nameof(identifier));

    /// <summary>
    /// Builds <paramref name="className"/> (any name <see cref="Get(string)"/> accepts, or a registered
    /// <c>"package&gt;name"</c>) from a config, as Keras's <c>cls.from_config(config)</c>, which is <c>cls(**config)</c>:
    /// missing keys take the constructor defaults, unknown keys are an error.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown class, an unknown key, a value of the wrong type, or a value the class rejects.</exception>
    public static Initializer FromConfig(string className, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        (Type Type, Func<JsonObject, Initializer> FromConfig) custom;
        bool isCustom;
        lock (RegistryGate)
        {
            isCustom = Registered.TryGetValue(className, out custom);
        }
        if (isCustom)
        {
            return custom.FromConfig(config);
        }
        string canonical = CanonicalName(className)
            ?? throw new ArgumentException(UnknownClassMessage(className, null), nameof(className));
        var reader = new InitializerConfigReader(canonical, config, ConfigKeys[canonical]);
        return canonical switch
        {
            nameof(Zeros) => new Zeros(),
            nameof(Ones) => new Ones(),
            nameof(Constant) => new Constant(reader.Double("value", 0.0)),
            nameof(Identity) => new Identity(reader.Double("gain", 1.0)),
            nameof(STFT) => ReadStft(reader),
            nameof(RandomNormal) => new RandomNormal(
                seed: reader.Seed(), mean: reader.Double("mean", 0.0), stddev: reader.Double("stddev", 0.05)),
            nameof(TruncatedNormal) => new TruncatedNormal(
                seed: reader.Seed(), mean: reader.Double("mean", 0.0), stddev: reader.Double("stddev", 0.05)),
            nameof(RandomUniform) => new RandomUniform(
                seed: reader.Seed(), minval: reader.Double("minval", -0.05), maxval: reader.Double("maxval", 0.05)),
            nameof(VarianceScaling) => new VarianceScaling(
                seed: reader.Seed(), scale: reader.Double("scale", 1.0), mode: reader.String("mode", "fan_in")!,
                distribution: reader.String("distribution", "truncated_normal")!, inputAxes: reader.Axes("input_axes"),
                outputAxes: reader.Axes("output_axes")),
            nameof(Orthogonal) => new Orthogonal(seed: reader.Seed(), gain: reader.Double("gain", 1.0)),
            _ => ReadPreset(canonical, reader),
        };
    }

    /// <summary>The Keras class names of the built-ins, in catalog order.</summary>
    internal static IReadOnlyList<string> BuiltInClassNames => [.. BuiltIns.Select(b => b.Type.Name)];

    /// <summary>The class name a built-in name or alias stands for (<c>he_normal</c> → <c>HeNormal</c>), or null.</summary>
    internal static string? CanonicalName(string name)
    {
        foreach (var (type, aliases, _) in BuiltIns)
        {
            if (name == type.Name || name == Naming.ToSnakeCase(type.Name) || aliases.Contains(name))
            {
                return type.Name;
            }
        }
        return null;
    }

    /// <summary>
    /// Throws <see cref="Get(string)"/>'s unknown-name error unless <paramref name="name"/> is a built-in or registered
    /// name. Nothing is built, so no seed is drawn.
    /// </summary>
    internal static void EnsureResolves(string name, string paramName)
    {
        bool known;
        lock (RegistryGate)
        {
            known = ByName.ContainsKey(name) || Registered.ContainsKey(name);
        }
        if (!known)
        {
            throw new ArgumentException(UnknownMessage(name), paramName);
        }
    }

    /// <summary>A registered custom initializer's default instance, for <see cref="Get(string)"/>; null when not registered.</summary>
    private static bool IsRegistered(string name)
    {
        lock (RegistryGate)
        {
            return Registered.ContainsKey(name);
        }
    }

    internal static Initializer? GetRegistered(string name)
    {
        lock (RegistryGate)
        {
            return Registered.TryGetValue(name, out var entry) ? entry.FromConfig([]) : null;
        }
    }

    private static Initializer DeserializeDict(JsonObject dict)
    {
        if (!PythonJson.TryGetString(dict["class_name"], out string className))
        {
            throw new ArgumentException(
                $"Unknown `config` as a `dict`: it needs a string `class_name`. config={dict.ToJsonString()}", nameof(dict));
        }
        string? registeredName = PythonJson.TryGetString(dict["registered_name"], out string registered) ? registered : null;
        JsonObject config = dict["config"] switch
        {
            null => [],
            JsonObject o => (JsonObject)o.DeepClone(),
            var other => throw new ArgumentException(
                $"The `config` of '{className}' must be a dict or null; received {other.ToJsonString()}.", nameof(dict)),
        };
        lock (RegistryGate)
        {
            if (registeredName is not null && Registered.TryGetValue(registeredName, out var byRegistered))
            {
                return byRegistered.FromConfig(config);
            }
            if (Registered.TryGetValue(className, out var byClass))
            {
                return byClass.FromConfig(config);
            }
        }
        bool moduleIsNull = dict.TryGetPropertyValue("module", out var module) && module is null;
        if (CanonicalName(className) is null || moduleIsNull)
        {
            throw new ArgumentException(UnknownClassMessage(className, registeredName), nameof(dict));
        }
        return FromConfig(className, config);
    }

    private static string UnknownClassMessage(string className, string? registeredName)
    {
        string nearest = ByName.Keys.MinBy(k => Levenshtein(k, className))!;
        string name = registeredName is null || registeredName == className
            ? $"'{className}'"
            : $"'{className}' (registered_name '{registeredName}')";
        string registerAs = registeredName is not null && registeredName.Contains('>')
            ? $"KerasInitializers.Register<{className}>(\"{registeredName.Split('>')[0]}\", \"{registeredName.Split('>', 2)[1]}\", config => ...)"
            : $"KerasInitializers.Register<{className}>(\"YourPackage\", \"{className}\", config => ...)";
        return $"Cannot deserialize initializer {name}: it is not a built-in Keras initializer and no custom initializer is " +
               $"registered under that name. If it is a custom class, register it first with {registerAs} " +
               $"(the counterpart of @keras.saving.register_keras_serializable). Nearest built-in name: '{nearest}'. " +
               $"Built-in names (case-sensitive): {string.Join(", ", Names)}.";
    }

    private static STFT ReadStft(InitializerConfigReader reader)
    {
        string side = reader.String("side", "real") ?? throw new ArgumentException("side should be 'real' or 'imag', not null.", "side");
        var (windowName, windowValues) = reader.Window("window");
        string? scaling = reader.String("scaling", "density");
        bool periodic = reader.Bool("periodic", false);
        return windowValues is not null ? new STFT(side, windowValues, scaling, periodic) : new STFT(side, windowName, scaling, periodic);
    }

    private static Initializer ReadPreset(string canonical, InitializerConfigReader reader)
    {
        Seed? seed = reader.Seed();
        var inputAxes = reader.Axes("input_axes");
        var outputAxes = reader.Axes("output_axes");
        return canonical switch
        {
            nameof(GlorotUniform) => new GlorotUniform(seed, inputAxes, outputAxes),
            nameof(GlorotNormal) => new GlorotNormal(seed, inputAxes, outputAxes),
            nameof(HeNormal) => new HeNormal(seed, inputAxes, outputAxes),
            nameof(HeUniform) => new HeUniform(seed, inputAxes, outputAxes),
            nameof(LecunNormal) => new LecunNormal(seed, inputAxes, outputAxes),
            nameof(LecunUniform) => new LecunUniform(seed, inputAxes, outputAxes),
            _ => throw new ArgumentException($"No config reader for '{canonical}'.", nameof(canonical)),
        };
    }

    private static JsonNode? ToNode(object? value, string key) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create((double)f),
        int i => JsonValue.Create((long)i),
        long l => JsonValue.Create(l),
        BigInteger big => JsonNode.Parse(big.ToString(CultureInfo.InvariantCulture)),
        SeedGenerator g => new JsonObject
        {
            ["module"] = "keras.random",
            ["class_name"] = "SeedGenerator",
            ["config"] = new JsonObject { ["seed"] = g.InitialSeed is { } s ? JsonValue.Create(s) : null, ["name"] = g.Name },
            ["registered_name"] = null,
        },
        Initializer nested => Serialize(nested),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(item => ToNode(item, key))]),
        _ => throw new ArgumentException(
            $"Config value '{key}' of type {value.GetType().Name} has no JSON form; use null, a string, a bool, a number, a list or a dict.",
            nameof(value)),
    };
}
