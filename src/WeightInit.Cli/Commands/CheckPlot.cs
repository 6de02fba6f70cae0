using ScottPlot;
using WeightInit.Keras.Validation;
using static TorchSharp.torch;

namespace WeightInit.Cli.Commands;

/// <summary>The <c>--plot</c> picture of <c>weightinit check</c>: the measured histogram as a density, the expected density over it.</summary>
internal static class CheckPlot
{
    /// <summary>Odd, so a symmetric range has a bin centred on its middle (a constant shows as one centred bar).</summary>
    private const int Bins = 101;
    private const int CurvePoints = 600;

    /// <summary>Saves a PNG of <paramref name="values"/> against the expectation of <paramref name="report"/>.</summary>
    public static void Save(Tensor values, ValidationReport report, string title, string path)
    {
        var expected = report.Expected;
        var (lo, hi) = Range(report);
        double width = (hi - lo) / Bins;
        double[] counts = Histogram(values, lo, hi);
        long n = report.Measured.Count;
        var plot = new Plot();
        double[] centers = [.. Enumerable.Range(0, Bins).Select(i => lo + (i + 0.5) * width)];
        double[] density = [.. counts.Select(c => n == 0 ? 0.0 : c / (n * width))];
        var bars = plot.Add.Bars(centers, density);
        foreach (var bar in bars.Bars)
        {
            bar.Size = width;
            bar.LineWidth = 0;
            bar.FillColor = Colors.SteelBlue.WithAlpha(0.6);
        }
        bars.LegendText = $"measured, n = {n}";
        double[] xs = [.. Enumerable.Range(0, CurvePoints).Select(i => lo + (hi - lo) * i / (CurvePoints - 1))];
        double[] ys = [.. xs.Select(expected.Density)];
        if (ys.All(double.IsFinite))
        {
            var curve = plot.Add.Scatter(xs, ys);
            curve.MarkerSize = 0;
            curve.LineWidth = 2;
            curve.Color = Colors.OrangeRed;
            curve.LegendText = $"expected: {expected.Describe()}";
        }
        else if (expected is ConstantExpectation c)
        {
            var line = plot.Add.VerticalLine(c.Value);
            line.Color = Colors.OrangeRed;
            line.LegendText = $"expected: {expected.Describe()}";
        }
        double top = density.Concat(ys.Where(double.IsFinite)).DefaultIfEmpty(1.0).Max();
        // Headroom above the peak keeps the legend off the bars.
        plot.Axes.SetLimits(lo, hi, 0, 1.35 * (top > 0 ? top : 1.0));
        plot.Title($"{title}: {(report.Passed ? "pass" : "FAIL: " + string.Join(", ", report.Failures.Select(f => f.Name)))}");
        plot.XLabel("value");
        plot.YLabel("density");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 520);
    }

    private static (double Lo, double Hi) Range(ValidationReport report)
    {
        var e = report.Expected;
        var m = report.Measured;
        double sigma = e.StdDev;
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            double min = double.IsFinite(m.Min) ? Math.Min(m.Min, e.Mean) : e.Mean;
            double max = double.IsFinite(m.Max) ? Math.Max(m.Max, e.Mean) : e.Mean;
            double half = Math.Max(0.5 * Math.Max(Math.Abs(e.Mean), max - min), 0.5);
            return (min - half, max + half);
        }
        double lo, hi;
        if (e.Family is DistributionFamily.Uniform or DistributionFamily.TruncatedNormal)
        {
            double margin = 0.15 * (e.UpperBound - e.LowerBound);
            (lo, hi) = (e.LowerBound - margin, e.UpperBound + margin);
        }
        else
        {
            (lo, hi) = (e.Mean - 4.5 * sigma, e.Mean + 4.5 * sigma);
        }
        // Widen to the measured values (a draw at the wrong scale must show), but not beyond 12σ.
        if (double.IsFinite(m.Min))
        {
            lo = Math.Min(lo, Math.Max(m.Min, e.Mean - 12 * sigma));
            hi = Math.Max(hi, Math.Min(m.Max, e.Mean + 12 * sigma));
        }
        return (lo, hi);
    }

    private static double[] Histogram(Tensor values, double lo, double hi)
    {
        var counts = new double[Bins];
        using var flat = values.detach().reshape(-1);
        long n = flat.numel();
        for (long offset = 0; offset < n; offset += TensorStatistics.DefaultChunkSize)
        {
            using var scope = NewDisposeScope();
            var chunk = flat.narrow(0, offset, Math.Min(TensorStatistics.DefaultChunkSize, n - offset)).to_type(ScalarType.Float64);
            var bin = chunk.sub(lo).div((hi - lo) / Bins).floor();
            var inside = bin.ge(0).logical_and(bin.lt(Bins));
            var h = bin.masked_select(inside).to_type(ScalarType.Int64).bincount(null, Bins).data<long>().ToArray();
            for (int i = 0; i < Bins; i++)
            {
                counts[i] += h[i];
            }
        }
        return counts;
    }
}
