using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests.Initializers;

[TestOf(typeof(STFT))]
public class StftTests
{
    // float64 kernels against a double formula: a few ulps of cos/sin and of the window sum.
    private const double Float64Tolerance = 1e-12;

    // float32: the argument is rounded to float32 at each step (|arg| < 4π), so values agree within a few float32 ulps of 1.
    private const double Float32Tolerance = 2e-6;

    /// <summary>The STFT kernel written out directly: w[t]·trig(−2π·t·k/N)/normalizer, N = 2(F − 1), for every c.</summary>
    private static double[] Reference(int frames, int channels, int bins, bool real, double[]? window, string? scaling)
    {
        int n = 2 * (bins - 1);
        double normalizer = window is null || scaling is null ? 1.0
            : scaling == "density" ? Math.Sqrt(window.Sum(w => w * w)) : window.Sum(Math.Abs);
        var result = new List<double>();
        for (int t = 0; t < frames; t++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int k = 0; k < bins; k++)
                {
                    double angle = -2.0 * Math.PI * t * k / n;
                    double value = real ? Math.Cos(angle) : Math.Sin(angle);
                    result.Add(window is null ? value : value * window[t] / normalizer);
                }
            }
        }
        return [.. result];
    }

    private static double[] HannSymmetric(int m) => [.. Enumerable.Range(0, m).Select(t => 0.5 - 0.5 * Math.Cos(2 * Math.PI * t / (m - 1)))];

    private static double[] HannPeriodic(int m) => [.. Enumerable.Range(0, m).Select(t => 0.5 - 0.5 * Math.Cos(2 * Math.PI * t / m))];

    [Test]
    public void Call_DefaultHannDensity_EqualsFormula()
    {
        using var kernel = new STFT().Call([5, 2, 4], ScalarType.Float64);

        Assert.That(kernel.shape, Is.EqualTo(new long[] { 5, 2, 4 }));
        Assert.That(kernel.data<double>().ToArray(), Is.EqualTo(Reference(5, 2, 4, true, HannSymmetric(5), "density")).Within(Float64Tolerance));
    }

    [Test]
    public void Call_ImagPeriodicSpectrum_EqualsFormula()
    {
        using var kernel = new STFT("imag", "hann", "spectrum", periodic: true).Call([4, 1, 3], ScalarType.Float64);

        Assert.That(kernel.data<double>().ToArray(), Is.EqualTo(Reference(4, 1, 3, false, HannPeriodic(4), "spectrum")).Within(Float64Tolerance));
    }

    [Test]
    public void Call_NoWindow_IsPlainCosine()
    {
        using var kernel = new STFT("real", (string?)null, null).Call([3, 1, 5], ScalarType.Float64);

        Assert.That(kernel.data<double>().ToArray(), Is.EqualTo(Reference(3, 1, 5, true, null, null)).Within(Float64Tolerance));
    }

    [Test]
    public void Call_WindowWithoutScaling_MultipliesOnly()
    {
        double[] window = [1.0, 0.5, 0.25];
        using var kernel = new STFT("real", window, scaling: null).Call([3, 1, 2], ScalarType.Float64);

        Assert.That(kernel.data<double>().ToArray(), Is.EqualTo(Reference(3, 1, 2, true, window, null)).Within(Float64Tolerance));
    }

    [Test]
    public void Call_Float32_EqualsFormulaWithinFloat32Rounding()
    {
        using var kernel = new STFT("imag", "hamming").Call([6, 1, 4]);
        double[] hamming = [.. Enumerable.Range(0, 6).Select(t => 0.54 - 0.46 * Math.Cos(2 * Math.PI * t / 5))];

        Assert.That(kernel.data<float>().ToArray().Select(v => (double)v), Is.EqualTo(Reference(6, 1, 4, false, hamming, "density")).Within(Float32Tolerance));
    }

    [Test]
    public void Call_ExplicitWindowOfWrongLength_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new STFT("real", [1.0, 1.0]).Call([3, 1, 4]));

        Assert.That(e!.Message, Does.StartWith("The shape of `window` must be equal to [frame_length] = [3]. Received: window shape=[2]"));
    }

    [TestCase(new long[] { 4, 1, 1 }, "fft_bins = shape[2] >= 2")]
    [TestCase(new long[] { 4, 4 }, "of rank 3")]
    public void Call_BadShape_Throws(long[] shape, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new STFT().Call(shape));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void Windows_SymmetricClosedForms_MatchSciPyDefinitions()
    {
        const int M = 7;
        double[] n = [.. Enumerable.Range(0, M).Select(i => (double)i)];
        // Each window as its textbook closed form; SciPy sums cosines of linspace(-π, π, M), equal within a few ulps.
        const double Tolerance = 1e-15;

        Assert.That(Windows.Get("hann", M, false), Is.EqualTo(n.Select(x => 0.5 - 0.5 * Math.Cos(2 * Math.PI * x / (M - 1)))).Within(Tolerance));
        Assert.That(Windows.Get("hamming", M, false), Is.EqualTo(n.Select(x => 0.54 - 0.46 * Math.Cos(2 * Math.PI * x / (M - 1)))).Within(Tolerance));
        Assert.That(Windows.Get("blackman", M, false),
            Is.EqualTo(n.Select(x => 0.42 - 0.5 * Math.Cos(2 * Math.PI * x / (M - 1)) + 0.08 * Math.Cos(4 * Math.PI * x / (M - 1)))).Within(Tolerance));
        Assert.That(Windows.Get("rectangular", M, false), Is.All.EqualTo(1.0));
        Assert.That(Windows.Get("boxcar", M, true), Is.All.EqualTo(1.0));
    }

    [Test]
    public void Windows_PeriodicIsSymmetricOfOneMoreTruncated()
    {
        Assert.That(Windows.Get("hann", 4, true), Is.EqualTo(new[] { 0.0, 0.5, 1.0, 0.5 }).Within(1e-15));
        Assert.That(Windows.Get("blackman", 8, true), Is.EqualTo(Windows.Get("blackman", 9, false)[..8]));
    }

    [Test]
    public void Windows_TriangleBartlettAndShortLengths_MatchSciPy()
    {
        Assert.That(Windows.Get("triang", 5, false), Is.EqualTo(new[] { 1 / 3.0, 2 / 3.0, 1.0, 2 / 3.0, 1 / 3.0 }).Within(1e-15));
        Assert.That(Windows.Get("triang", 4, false), Is.EqualTo(new[] { 0.25, 0.75, 0.75, 0.25 }).Within(1e-15));
        Assert.That(Windows.Get("bartlett", 5, false), Is.EqualTo(new[] { 0.0, 0.5, 1.0, 0.5, 0.0 }).Within(1e-15));
        Assert.That(Windows.Get("hann", 1, false), Is.EqualTo(new[] { 1.0 }));
        Assert.That(Windows.Get("hann", 0, true), Is.Empty);
    }
}
