namespace WeightInit.Keras.Initializers;

/// <summary>
/// The SciPy window functions <see cref="STFT"/> takes by name (<c>scipy.signal.get_window(name, M, fftbins)</c>),
/// computed in double as SciPy computes them. Names are exact and case-sensitive, as in SciPy.
/// </summary>
public static class Windows
{
    private static readonly (string[] Names, Func<int, double[]> Symmetric)[] Table =
    [
        (["hann", "han"], m => GeneralCosine(m, [0.5, 0.5])),
        (["hamming", "hamm", "ham"], m => GeneralCosine(m, [0.54, 1.0 - 0.54])),
        (["blackman", "black", "blk"], m => GeneralCosine(m, [0.42, 0.50, 0.08])),
        (["blackmanharris", "blackharr", "bkh"], m => GeneralCosine(m, [0.35875, 0.48829, 0.14128, 0.01168])),
        (["nuttall", "nutl", "nut"], m => GeneralCosine(m, [0.3635819, 0.4891775, 0.1365995, 0.0106411])),
        (["flattop", "flat", "flt"], m => GeneralCosine(m, [0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368])),
        (["boxcar", "box", "ones", "rect", "rectangular"], m => Enumerable.Repeat(1.0, m).ToArray()),
        (["triangle", "triang", "tri"], Triangle),
        (["bartlett", "bart", "brt"], Bartlett),
        (["cosine", "halfcosine"], m => Enumerable.Range(0, m).Select(n => Math.Sin(Math.PI / m * (n + 0.5))).ToArray()),
    ];

    /// <summary>SciPy window names that need parameters or are not implemented here; named in errors.</summary>
    private static readonly string[] UnsupportedSciPyNames =
    [
        "barthann", "bohman", "chebwin", "dpss", "exponential", "gaussian", "general_cosine", "general_gaussian",
        "general_hamming", "kaiser", "kaiser_bessel_derived", "lanczos", "parzen", "taylor", "tukey",
    ];

    /// <summary>Every accepted window name, aliases included.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.SelectMany(t => t.Names)];

    /// <summary>
    /// The window of <paramref name="length"/> points: symmetric when <paramref name="periodic"/> is false (SciPy
    /// <c>sym=True</c>), periodic otherwise (computed on length + 1 points, last one dropped). Lengths 0 and 1 give
    /// an empty array and <c>[1.0]</c>, as in SciPy.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name or a negative length.</exception>
    public static double[] Get(string name, long length, bool periodic)
    {
        var symmetric = Validate(name, nameof(name));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > int.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A window has at most {int.MaxValue - 1} points.");
        }
        int m = (int)length;
        if (m <= 1)
        {
            return Enumerable.Repeat(1.0, m).ToArray();
        }
        return periodic ? symmetric(m + 1)[..m] : symmetric(m);
    }

    internal static Func<int, double[]> Validate(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        foreach (var (names, symmetric) in Table)
        {
            if (names.Contains(name))
            {
                return symmetric;
            }
        }
        string hint = UnsupportedSciPyNames.Contains(name)
            ? $"'{name}' is a SciPy window this port does not implement (it needs parameters or is not one of the common ones); pass its values as an array instead."
            : $"Unknown window '{name}'.";
        throw new ArgumentException($"{hint} Window names accepted (case-sensitive): {string.Join(", ", Names)}.", paramName);
    }

    /// <summary>SciPy's <c>general_cosine</c>: Σ a_k·cos(k·x) with x = linspace(−π, π, m).</summary>
    private static double[] GeneralCosine(int m, double[] coefficients)
    {
        double step = 2 * Math.PI / (m - 1);
        var w = new double[m];
        for (int n = 0; n < m; n++)
        {
            double x = n == m - 1 ? Math.PI : n * step + -Math.PI;
            for (int k = 0; k < coefficients.Length; k++)
            {
                w[n] += coefficients[k] * Math.Cos(k * x);
            }
        }
        return w;
    }

    private static double[] Triangle(int m)
    {
        int half = (m + 1) / 2;
        var first = new double[half];
        for (int i = 0; i < half; i++)
        {
            int n = i + 1;
            first[i] = m % 2 == 0 ? (2.0 * n - 1.0) / m : 2.0 * n / (m + 1.0);
        }
        var mirrored = m % 2 == 0 ? first.Reverse() : first.Reverse().Skip(1);
        return [.. first, .. mirrored];
    }

    private static double[] Bartlett(int m)
    {
        var w = new double[m];
        for (int n = 0; n < m; n++)
        {
            w[n] = n <= (m - 1) / 2.0 ? 2.0 * n / (m - 1) : 2.0 - 2.0 * n / (m - 1);
        }
        return w;
    }
}
