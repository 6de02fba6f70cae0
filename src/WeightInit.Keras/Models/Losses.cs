using TorchSharp;
using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>
/// Keras losses as its torch backend computes them on probabilities (<c>from_logits=False</c>): outputs clipped to
/// [1e-7, 1 − 1e-7] before the log, averaged over the batch (<c>sum_over_batch_size</c>).
/// </summary>
public static class Losses
{
    /// <summary>Keras's <c>epsilon()</c>.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy", "mse"];

    /// <summary>Checks a loss name (<c>mean_squared_error</c> is accepted for <c>mse</c>) and returns its canonical form.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name == "mean_squared_error" ? "mse" : name;
        if (!Names.Contains(n))
        {
            throw new ArgumentException($"Unknown loss '{name}'; valid losses: {string.Join(", ", Names)}.", nameof(name));
        }
        return n;
    }

    /// <summary>The per-sample loss of <paramref name="output"/> against <paramref name="target"/>, shape (batch,).</summary>
    public static Tensor PerSample(string name, Tensor target, Tensor output)
    {
        switch (Normalize(name))
        {
            case "sparse_categorical_crossentropy":
                {
                    using var p = Normalized(output);
                    using var logp = p.log();
                    using var index = target.to_type(ScalarType.Int64).reshape(-1, 1);
                    using var picked = logp.gather(-1, index);
                    return picked.squeeze(-1).neg();
                }
            case "categorical_crossentropy":
                {
                    using var p = Normalized(output);
                    using var logp = p.log();
                    using var product = target.mul(logp);
                    return product.sum(-1).neg();
                }
            case "binary_crossentropy":
                {
                    using var low = Epsilon.ToScalar();
                    using var high = (1 - Epsilon).ToScalar();
                    using var one = 1.0.ToScalar();
                    using var p = output.clamp(low, high);
                    using var logp = p.log();
                    using var oneMinusP = p.neg().add_(one);
                    using var log1p = oneMinusP.log();
                    using var oneMinusT = target.neg().add_(one);
                    using var a = target.mul(logp);
                    using var b = oneMinusT.mul(log1p);
                    using var sum = a.add(b);
                    return sum.mean([-1L]).neg();
                }
            default:
                {
                    using var diff = target.sub(output);
                    using var sq = diff.square();
                    return sq.mean([-1L]);
                }
        }
    }

    private static Tensor Normalized(Tensor output)
    {
        using var total = output.sum(-1, keepdim: true);
        using var divided = output.div(total);
        using var low = Epsilon.ToScalar();
        using var high = (1 - Epsilon).ToScalar();
        return divided.clamp(low, high);
    }
}
