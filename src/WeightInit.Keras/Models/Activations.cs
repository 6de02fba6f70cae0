using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>Keras activations by name: <c>linear</c>, <c>relu</c>, <c>sigmoid</c>, <c>tanh</c>, <c>softmax</c>, <c>selu</c>, <c>elu</c>.</summary>
public static class Activations
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Table = new(StringComparer.Ordinal)
    {
        ["linear"] = x => x.alias(),
        ["relu"] = x => nn.functional.relu(x),
        ["sigmoid"] = x => x.sigmoid(),
        ["tanh"] = x => x.tanh(),
        ["softmax"] = x => x.softmax(-1),
        ["selu"] = x => nn.functional.selu(x),
        ["elu"] = x => nn.functional.elu(x, 1.0),
    };

    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Keys];

    /// <summary>The Keras name for an activation argument: null means <c>linear</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static string Normalize(string? name)
    {
        string n = name ?? "linear";
        if (!Table.ContainsKey(n))
        {
            throw new ArgumentException($"Unknown activation '{n}'; valid activations: {string.Join(", ", Names)}.", nameof(name));
        }
        return n;
    }

    /// <summary>Applies the named activation.</summary>
    public static Tensor Apply(string name, Tensor x) => Table[Normalize(name)](x);
}
