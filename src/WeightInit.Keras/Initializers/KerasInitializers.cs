namespace WeightInit.Keras.Initializers;

/// <summary>
/// The catalog of built-in initializers, looked up as Keras's <c>keras.initializers.get</c> does: by class name,
/// snake_case name or alias, exactly and case-sensitively.
/// </summary>
public static partial class KerasInitializers
{
    private static readonly (Type Type, string[] Aliases, Func<Initializer> Create)[] BuiltIns =
    [
        (typeof(Zeros), ["zero"], () => new Zeros()),
        (typeof(Ones), ["one"], () => new Ones()),
        (typeof(Constant), [], () => new Constant()),
        (typeof(Identity), ["IdentityInitializer"], () => new Identity()),
        (typeof(STFT), ["STFTInitializer"], () => new STFT()),
        (typeof(RandomNormal), ["normal"], () => new RandomNormal()),
        (typeof(TruncatedNormal), [], () => new TruncatedNormal()),
        (typeof(RandomUniform), ["uniform"], () => new RandomUniform()),
        (typeof(VarianceScaling), [], () => new VarianceScaling()),
        (typeof(GlorotUniform), [], () => new GlorotUniform()),
        (typeof(GlorotNormal), [], () => new GlorotNormal()),
        (typeof(HeNormal), [], () => new HeNormal()),
        (typeof(HeUniform), [], () => new HeUniform()),
        (typeof(LecunNormal), [], () => new LecunNormal()),
        (typeof(LecunUniform), [], () => new LecunUniform()),
        (typeof(Orthogonal), ["OrthogonalInitializer"], () => new Orthogonal()),
    ];

    private static readonly Dictionary<string, Func<Initializer>> ByName = BuildTable();

    /// <summary>The eight initializers of the original examples, in their order.</summary>
    public static IReadOnlyList<string> OriginalEight { get; } =
        ["random_normal", "random_uniform", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal", "zeros", "ones"];

    /// <summary>Every string <see cref="Get(string)"/> accepts, sorted.</summary>
    public static IReadOnlyList<string> Names => [.. ByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// A new default instance of the initializer Keras names <paramref name="identifier"/> (<c>"he_normal"</c>,
    /// <c>"HeNormal"</c>, <c>"normal"</c>…) or a registered custom <c>"package&gt;name"</c>. An unseeded random
    /// initializer takes its seed now, as in Keras.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid names and the nearest one.</exception>
    public static Initializer Get(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (ByName.TryGetValue(identifier, out var create))
        {
            return create();
        }
        return GetRegistered(identifier) ?? throw new ArgumentException(UnknownMessage(identifier), nameof(identifier));
    }

    /// <summary>True when <paramref name="identifier"/> names a built-in initializer.</summary>
    public static bool IsKnown(string identifier) => ByName.ContainsKey(identifier);

    /// <summary>
    /// Checks that <see cref="Get(string)"/> would accept <paramref name="identifier"/> (a built-in or registered name)
    /// without building an instance, so an unseeded initializer draws no seed.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid names and the nearest one.</exception>
    public static void RequireKnown(string identifier, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (!IsKnown(identifier) && !IsRegistered(identifier))
        {
            throw new ArgumentException(UnknownMessage(identifier), paramName ?? nameof(identifier));
        }
    }

    private static string UnknownMessage(string identifier)
    {
        string nearest = ByName.Keys.MinBy(k => Levenshtein(k, identifier))!;
        string baseClass = identifier is "Initializer" or "initializer"
            ? "'Initializer' is the abstract base class (in Keras it raises NotImplementedError when called); subclass it and Register it. "
            : "";
        return $"Could not interpret initializer identifier: '{identifier}'. {baseClass}Did you mean '{nearest}'? " +
               $"Valid names (case-sensitive): {string.Join(", ", Names)}.";
    }

    private static Dictionary<string, Func<Initializer>> BuildTable()
    {
        var table = new Dictionary<string, Func<Initializer>>(StringComparer.Ordinal);
        foreach (var (type, aliases, create) in BuiltIns)
        {
            table[type.Name] = create;
            table[Naming.ToSnakeCase(type.Name)] = create;
            foreach (string alias in aliases)
            {
                table[alias] = create;
            }
        }
        return table;
    }

    internal static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
