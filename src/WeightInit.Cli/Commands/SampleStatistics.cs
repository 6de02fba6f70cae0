using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Cli.Commands;

/// <summary>Mean, standard deviation (population), minimum and maximum; null where undefined or unbounded.</summary>
internal sealed record SampleStatistics(double? Mean, double? Std, double? Min, double? Max, string? Note = null)
{
    /// <summary>
    /// What the initializer promises for <paramref name="shape"/>: exact moments, and for min/max the bounds of the
    /// support (null when unbounded). Orthogonal's std is exact (its sum of squares is gain²·min(rows, cols)); its mean
    /// is 0 only in expectation. A truncated normal's note says whether <paramref name="backend"/> leaves values
    /// outside the bounds (Keras's torch backend does, rarely; its TensorFlow backend never).
    /// </summary>
    public static SampleStatistics Expected(Initializer initializer, long[] shape, RandomBackend backend)
    {
        string truncation = backend == RandomBackend.PyTorch
            ? "Keras's four-candidate draw on torch leaves about 4.3e-6 of values outside"
            : "TensorFlow's draw keeps every value strictly inside";
        long n = shape.Aggregate(1L, (a, b) => a * b);
        if (n == 0)
        {
            return new SampleStatistics(null, null, null, null, "empty tensor");
        }
        const double TruncationBound = 2.0;
        switch (initializer)
        {
            case Zeros:
                return new SampleStatistics(0, 0, 0, 0);
            case Ones:
                return new SampleStatistics(1, 0, 1, 1);
            case Constant c:
                return new SampleStatistics(c.Value, 0, c.Value, c.Value, "before rounding to the dtype");
            case Identity id when shape.Length == 2:
                {
                    double ones = Math.Min(shape[0], shape[1]);
                    double mean = id.Gain * ones / n;
                    double variance = id.Gain * id.Gain * ones / n - mean * mean;
                    double low = ones == n ? id.Gain : Math.Min(0, id.Gain);
                    double high = ones == n ? id.Gain : Math.Max(0, id.Gain);
                    return new SampleStatistics(mean, Math.Sqrt(Math.Max(0, variance)), low, high);
                }
            case RandomNormal rn:
                return new SampleStatistics(rn.Mean, rn.StdDev, null, null);
            case TruncatedNormal tn:
                return new SampleStatistics(tn.Mean, tn.StdDev * VarianceScaling.TruncationCorrection,
                    tn.Mean - TruncationBound * tn.StdDev, tn.Mean + TruncationBound * tn.StdDev,
                    $"bounds are ±2·stddev; {truncation}");
            case RandomUniform ru:
                return new SampleStatistics((ru.MinVal + ru.MaxVal) / 2, (ru.MaxVal - ru.MinVal) / Math.Sqrt(12), ru.MinVal, ru.MaxVal);
            case VarianceScaling vs:
                {
                    double s = vs.ScaledVariance(shape);
                    return vs.Distribution switch
                    {
                        "truncated_normal" => new SampleStatistics(0, Math.Sqrt(s),
                            -TruncationBound * Math.Sqrt(s) / VarianceScaling.TruncationCorrection,
                            TruncationBound * Math.Sqrt(s) / VarianceScaling.TruncationCorrection,
                            $"bounds are ±2σ of the untruncated normal; {truncation}"),
                        "untruncated_normal" => new SampleStatistics(0, Math.Sqrt(s), null, null),
                        _ => new SampleStatistics(0, Math.Sqrt(s), -Math.Sqrt(3 * s), Math.Sqrt(3 * s)),
                    };
                }
            case Orthogonal o when shape.Length >= 2:
                {
                    long rows = n / shape[^1];
                    double meanSquare = o.Gain * o.Gain * Math.Min(rows, shape[^1]) / n;
                    return new SampleStatistics(0, Math.Sqrt(meanSquare), -Math.Abs(o.Gain), Math.Abs(o.Gain),
                        "mean 0 in expectation; std is exact up to the (small) squared mean");
                }
            case STFT:
                return new SampleStatistics(null, null, null, null, "a deterministic kernel (formula in `weightinit list`): no distribution to compare with");
            default:
                return new SampleStatistics(null, null, null, null, "a custom initializer: no known distribution to compare with");
        }
    }

    /// <summary>The statistics of a tensor, accumulated in double.</summary>
    public static SampleStatistics Measure(Tensor values)
    {
        if (values.numel() == 0)
        {
            return new SampleStatistics(null, null, null, null);
        }
        using var scope = NewDisposeScope();
        var x = values.to(ScalarType.Float64);
        return new SampleStatistics(
            x.mean().item<double>(), x.std(unbiased: false).item<double>(), x.min().item<double>(), x.max().item<double>());
    }

    /// <summary>As a JSON object with keys mean, std, min, max (and note when there is one).</summary>
    public JsonObject ToJson()
    {
        var result = new JsonObject { ["mean"] = Mean, ["std"] = Std, ["min"] = Min, ["max"] = Max };
        if (Note is not null)
        {
            result["note"] = Note;
        }
        return result;
    }
}
