using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Keras <c>STFT</c> (<c>"stft"</c>, <c>"STFTInitializer"</c>): the kernel of a short-time Fourier transform as a
/// convolution, for a shape <c>(T, C, F)</c> with F = n_fft / 2 + 1. With N = 2·(F − 1), the value at (t, c, k) is
/// cos(−2·t·(k/N)·π) (<c>side "real"</c>) or sin(…) (<c>side "imag"</c>), times the window w[t] divided by the
/// normalizer: √Σw² (<c>scaling "density"</c>), Σ|w| (<c>"spectrum"</c>) or 1 (<c>null</c>). Every step runs in the
/// requested dtype, in Keras's order.
/// </summary>
/// <remarks>
/// Windows by SciPy name (<see cref="Windows.Names"/>: hann, hamming, blackman, boxcar/rectangular and others), an
/// explicit array of length T, or null for none. <see cref="Periodic"/> false (the default) gives SciPy's symmetric
/// window, true its periodic (DFT-even) one. Differences from Keras: Keras returns shape (T, 1, F) whatever C is;
/// here the kernel is repeated over C to give the shape asked for. F = 1 (Keras divides by zero and returns NaN) and a
/// rank other than 3 are errors.
/// </remarks>
public sealed class STFT : Initializer
{
    /// <summary>The allowed sides.</summary>
    public static readonly IReadOnlyList<string> Sides = ["real", "imag"];

    /// <summary>The allowed scalings (null is allowed too).</summary>
    public static readonly IReadOnlyList<string> Scalings = ["density", "spectrum"];

    private readonly double[]? _windowValues;

    /// <summary>Keras defaults: side "real", window "hann", scaling "density", periodic false.</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="side"/> not "real"/"imag", an unknown window name, or <paramref name="scaling"/> not
    /// "density"/"spectrum"/null.
    /// </exception>
    public STFT(string side = "real", string? window = "hann", string? scaling = "density", bool periodic = false)
        : this(side, window, null, scaling, periodic)
    {
    }

    /// <summary>An STFT kernel with an explicit window array, whose length must equal the frame length T.</summary>
    /// <exception cref="ArgumentException">A bad <paramref name="side"/> or <paramref name="scaling"/>, or an empty window.</exception>
    public STFT(string side, IReadOnlyList<double> window, string? scaling = "density", bool periodic = false)
        : this(side, null, window ?? throw new ArgumentNullException(nameof(window)), scaling, periodic)
    {
    }

    private STFT(string side, string? windowName, IReadOnlyList<double>? windowValues, string? scaling, bool periodic)
    {
        ArgumentNullException.ThrowIfNull(side);
        if (!Sides.Contains(side))
        {
            throw new ArgumentException($"side should be 'real' or 'imag', not '{side}'.", nameof(side));
        }
        if (windowName is not null)
        {
            Windows.Validate(windowName, "window");
        }
        if (scaling is not null && !Scalings.Contains(scaling))
        {
            throw new ArgumentException(
                $"Scaling is invalid, it must be null, 'density' or 'spectrum'. Received scaling='{scaling}'.", nameof(scaling));
        }
        Side = side;
        WindowName = windowName;
        _windowValues = windowValues?.ToArray();
        Scaling = scaling;
        Periodic = periodic;
    }

    /// <summary><c>"real"</c> (cosine) or <c>"imag"</c> (sine).</summary>
    public string Side { get; }

    /// <summary>The SciPy window name, or null when the window is an array or absent.</summary>
    public string? WindowName { get; }

    /// <summary>The explicit window values, or null.</summary>
    public IReadOnlyList<double>? WindowValues => _windowValues;

    /// <summary><c>"density"</c>, <c>"spectrum"</c> or null.</summary>
    public string? Scaling { get; }

    /// <summary>True for SciPy's periodic window, false (default) for the symmetric one.</summary>
    public bool Periodic { get; }

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype)
    {
        if (shape.Length != 3)
        {
            throw new ArgumentException(
                $"STFT needs a shape (frame_length, channels, fft_bins) of rank 3. Received: shape=({string.Join(", ", shape)}).",
                nameof(shape));
        }
        long frames = shape[0], channels = shape[1], bins = shape[2];
        if (bins < 2)
        {
            throw new ArgumentException(
                $"STFT needs fft_bins = shape[2] >= 2 (n_fft = 2·(fft_bins − 1) must be positive). Received: shape=({string.Join(", ", shape)}).",
                nameof(shape));
        }
        using var scope = NewDisposeScope();
        var freq = arange(bins, dtype: dtype).reshape(1, 1, bins).div((bins - 1) * 2);
        var time = arange(frames, dtype: dtype).reshape(frames, 1, 1);
        var pi = tensor(-1.0, dtype).arccos();
        var args = time.mul(-2).mul(freq).mul(pi);
        var kernel = Side == "real" ? args.cos() : args.sin();
        double[]? window = _windowValues ?? (WindowName is null ? null : Windows.Get(WindowName, frames, Periodic));
        if (window is not null)
        {
            if (window.Length != frames)
            {
                throw new ArgumentException(
                    $"The shape of `window` must be equal to [frame_length] = [{frames}]. Received: window shape=[{window.Length}].",
                    nameof(shape));
            }
            var w = tensor(window, ScalarType.Float64).to(dtype).reshape(frames, 1, 1);
            var normalizer = Scaling switch
            {
                "density" => w.square().sum().sqrt(),
                "spectrum" => w.abs().sum(),
                _ => tensor(1.0, dtype),
            };
            kernel = kernel.mul(w).div(normalizer);
        }
        return kernel.expand(frames, channels, bins).contiguous().clone().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["side"] = Side,
        ["window"] = (object?)WindowName ?? _windowValues,
        ["periodic"] = Periodic,
        ["scaling"] = Scaling,
    };
}
