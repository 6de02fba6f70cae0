using System.Collections.Concurrent;

namespace WeightInit.Keras;

/// <summary>Keras's per-process automatic names: <c>dense</c>, <c>dense_1</c>, <c>dense_2</c>, …</summary>
public static class Naming
{
    private static readonly ConcurrentDictionary<string, int> Counters = new();

    /// <summary>The next unique name for <paramref name="prefix"/>.</summary>
    public static string UniqueName(string prefix)
    {
        int n = Counters.AddOrUpdate(prefix, 0, (_, c) => c + 1);
        return n == 0 ? prefix : $"{prefix}_{n}";
    }

    /// <summary>Forgets every counter, as <c>keras.backend.clear_session()</c> does.</summary>
    public static void ClearSession() => Counters.Clear();

    /// <summary>Keras's <c>to_snake_case</c>: <c>VarianceScaling</c> → <c>variance_scaling</c>, <c>STFT</c> → <c>stft</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var cleaned = System.Text.RegularExpressions.Regex.Replace(name, @"\W+", "");
        cleaned = System.Text.RegularExpressions.Regex.Replace(cleaned, "(.)([A-Z][a-z]+)", "$1_$2");
        cleaned = System.Text.RegularExpressions.Regex.Replace(cleaned, "([a-z])([A-Z])", "$1_$2");
        return cleaned.ToLowerInvariant();
    }
}
