using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace WeightInit.Keras.Random.TensorFlow;

/// <summary>
/// The sampling calls of Keras 3's TensorFlow backend (<c>keras/src/backend/tensorflow/random.py</c>) on the CPU:
/// the seed becomes an int32 pair, which <see cref="StatelessRandom"/> turns into TensorFlow's Philox stream;
/// the result is written into a new TorchSharp tensor.
/// </summary>
/// <remarks>
/// Seeds as on Keras's TensorFlow backend: an integer seed <c>s</c> is the pair <c>[s, 0]</c> as int64, cast to
/// int32 (the low 32 bits, two's complement); a <see cref="SeedGenerator"/> gives its next state <c>[s, n]</c>.
/// Keras keeps that state in int64 on TensorFlow; its low 32 bits, which are all the cast keeps, advance exactly as
/// the generator's int32 state does, so the draws are the same.
/// Parameters are rounded to the dtype first (as <c>tf.cast</c> and <c>convert_to_tensor</c> do), then each value is
/// <c>r · stddev + mean</c> or <c>u · (maxval − minval) + minval</c>, every operation rounded in the dtype.
/// </remarks>
public static class TensorFlowBackend
{
    /// <summary>
    /// The hash <see cref="SelfCheck"/> expects: the same recipe run in C against glibc 2.36's own <c>logf</c>,
    /// <c>sinf</c> and <c>cosf</c> on x86-64 (TensorFlow's Linux build calls these; <c>sincosf</c> gives the
    /// sinf/cosf bits), with and without glibc's FMA code path.
    /// </summary>
    /// <remarks>
    /// Recipe: for k = 1 … 2^23 − 1, u = k·2^-23; L = logf(max(u, 1e-7f)); θ = (float)(2π·(double)u); S = sinf(θ);
    /// C = cosf(θ); the bit patterns of L, S, C in that order go into a 64-bit FNV-1a over 32-bit words
    /// (start 14695981039346656037; per word h ^= w, h *= 1099511628211).
    /// </remarks>
    public const ulong ExpectedMathHash = 0x1ad68fd3f82525b6;

    private static readonly Lazy<TensorFlowSelfCheck> CachedCheck = new(RunSelfCheck);

    /// <summary>Keras's <c>normal</c>: <c>stateless_normal(shape, seed, mean, stddev)</c> in <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentNullException"><c>shape</c> is null.</exception>
    /// <exception cref="ArgumentException">A negative dimension.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An integer seed outside int64 (Keras cannot make its seed tensor).</exception>
    /// <exception cref="NotSupportedException">
    /// A dtype other than float32, float64, float16 or bfloat16, or a tensor larger than 2^31 − 1 bytes.
    /// </exception>
    public static Tensor Normal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed) =>
        Sample(shape, dtype, seed, Kind.Normal, mean, stddev);

    /// <summary>
    /// Keras's <c>uniform</c>: <c>stateless_uniform(shape, seed, tf.cast(minval), tf.cast(maxval))</c>. <c>tf.cast</c>
    /// makes a float32 tensor of each bound first, so the bounds are rounded to float32 and then to the dtype (for
    /// float64 too); the range is their difference in the dtype. Values lie in [minval, maxval) up to rounding.
    /// </summary>
    /// <inheritdoc cref="Normal" path="/exception"/>
    public static Tensor Uniform(long[] shape, double minval, double maxval, ScalarType dtype, Seed seed) =>
        Sample(shape, dtype, seed, Kind.Uniform, minval, maxval);

    /// <summary>
    /// Keras's <c>truncated_normal</c>: <c>stateless_truncated_normal(shape, seed, mean, stddev)</c>, standard normals
    /// redrawn until inside (-2, 2), then times <paramref name="stddev"/> plus <paramref name="mean"/>.
    /// </summary>
    /// <inheritdoc cref="Normal" path="/exception"/>
    public static Tensor TruncatedNormal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed) =>
        Sample(shape, dtype, seed, Kind.TruncatedNormal, mean, stddev);

    /// <summary>
    /// The int32 seed pair one draw uses, as Keras's <c>tf_draw_seed</c>: <c>[s, 0]</c> for an integer seed (cast to
    /// int32), the generator's next state for a <see cref="SeedGenerator"/> (which advances it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An integer seed outside int64.</exception>
    public static (int Seed0, int Seed1) DrawSeed(Seed seed)
    {
        if (seed.Generator is { } generator)
        {
            return generator.Next();
        }
        BigInteger value = seed.Value ?? throw new ArgumentException("The seed holds neither an integer nor a generator.", nameof(seed));
        if (value < long.MinValue || value > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), value,
                $"On the TensorFlow backend an integer seed must fit in int64 ([{long.MinValue}, {long.MaxValue}]), as Keras makes an int64 seed tensor; received seed={value.ToString(CultureInfo.InvariantCulture)}.");
        }
        return (unchecked((int)(long)value), 0);
    }

    /// <summary>
    /// Checks once per process that the float <c>logf</c>, <c>sinf</c> and <c>cosf</c> this library carries (glibc's
    /// algorithms, which TensorFlow's Box–Muller uses on Linux) give glibc's bits on all 2^23 − 1 inputs Box–Muller
    /// can see, on this machine and runtime, by hashing their results. Uniform draws and the integer stream do not
    /// depend on it; normal and truncated draws do. Takes about a tenth of a second and 3 MB; later calls return the cached
    /// result.
    /// </summary>
    /// <remarks>
    /// The functions use only IEEE double arithmetic and fused multiply-adds, so the check fails only on a runtime
    /// that computes those differently; it does not depend on the platform's C library.
    /// </remarks>
    public static TensorFlowSelfCheck SelfCheck() => CachedCheck.Value;

    /// <summary>The hash of the self-check, recomputed (<paramref name="maxThreads"/> null: the thread pool decides).</summary>
    internal static ulong ComputeMathHash(int? maxThreads = null)
    {
        const int Inputs = 1 << 23;
        const int Batch = 1 << 18;
        const int Part = 1 << 14;
        const ulong OffsetBasis = 14695981039346656037;
        const ulong Prime = 1099511628211;
        var log = new float[Batch];
        var sin = new float[Batch];
        var cos = new float[Batch];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1 };
        ulong hash = OffsetBasis;
        for (int first = 0; first < Inputs; first += Batch)
        {
            Parallel.For(0, Batch / Part, options, part =>
            {
                var range = new Range(part * Part, (part + 1) * Part);
                BoxMullerInputs((uint)(first + (part * Part)), log.AsSpan(range), sin.AsSpan(range), cos.AsSpan(range), WidestLanes);
            });
            for (int i = first == 0 ? 1 : 0; i < Batch; i++)
            {
                hash = unchecked((hash ^ BitConverter.SingleToUInt32Bits(log[i])) * Prime);
                hash = unchecked((hash ^ BitConverter.SingleToUInt32Bits(sin[i])) * Prime);
                hash = unchecked((hash ^ BitConverter.SingleToUInt32Bits(cos[i])) * Prime);
            }
        }
        return hash;
    }

    /// <summary>The widest form of the float math this machine runs: 8, 4 or 1 lanes.</summary>
    internal static int WidestLanes => GlibcFloatMath.IsVectorized512 ? 8 : GlibcFloatMath.IsVectorized ? 4 : 1;

    /// <summary>
    /// For the mantissas k = <paramref name="firstK"/>, <paramref name="firstK"/> + 1, … (u = k·2^-23): the log of
    /// max(u, 1e-7) and the sine and cosine of the angle (float)(2π·u) Box–Muller computes from them, by the
    /// functions of <paramref name="lanes"/> lanes (8 and 4 need the hardware <see cref="WidestLanes"/> reports).
    /// </summary>
    internal static void BoxMullerInputs(uint firstK, Span<float> log, Span<float> sin, Span<float> cos, int lanes)
    {
        int i = 0;
        var epsilon = Vector256.Create(1.0e-7f);
        var twoPi = Vector512.Create(2.0 * Math.PI);
        var offsets = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        for (; lanes == 8 && i <= log.Length - 8; i += 8)
        {
            var u = Vector256.ConvertToSingle((Vector256.Create(firstK + (uint)i) + offsets).AsInt32()) * Vector256.Create(BoxMuller.Float32Step);
            GlibcFloatMath.Log(Vector256.Max(u, epsilon)).CopyTo(log[i..]);
            GlibcFloatMath.SinCos(Avx512F.ConvertToVector256Single(Avx512F.ConvertToVector512Double(u) * twoPi), out var s, out var c);
            s.CopyTo(sin[i..]);
            c.CopyTo(cos[i..]);
        }
        for (; lanes == 4 && i <= log.Length - 4; i += 4)
        {
            var u = Vector128.ConvertToSingle((Vector128.Create(firstK + (uint)i) + offsets.GetLower()).AsInt32()) * Vector128.Create(BoxMuller.Float32Step);
            GlibcFloatMath.Log(Vector128.Max(u, epsilon.GetLower())).CopyTo(log[i..]);
            GlibcFloatMath.SinCos(Avx.ConvertToVector128Single(Avx.ConvertToVector256Double(u) * twoPi.GetLower()), out var s, out var c);
            s.CopyTo(sin[i..]);
            c.CopyTo(cos[i..]);
        }
        for (; i < log.Length; i++)
        {
            float u = BoxMuller.Uniform32(firstK + (uint)i);
            log[i] = GlibcFloatMath.Log(Math.Max(u, 1.0e-7f));
            GlibcFloatMath.SinCos((float)(2.0 * Math.PI * u), out sin[i], out cos[i]);
        }
    }

    private static TensorFlowSelfCheck RunSelfCheck()
    {
        ulong hash = ComputeMathHash();
        bool passed = hash == ExpectedMathHash;
        string message = passed
            ? "The float log/sin/cos give glibc's bits: TensorFlow-backend draws match TensorFlow on Linux exactly."
            : "Warning: the float log/sin/cos gave hash " + hash.ToString("x16", CultureInfo.InvariantCulture) +
                ", expected " + ExpectedMathHash.ToString("x16", CultureInfo.InvariantCulture) +
                ": this runtime's double arithmetic or fused multiply-add differs from IEEE 754. TensorFlow-backend uniform " +
                "draws still match TensorFlow exactly, but some normal and truncated-normal values may differ in the last bit.";
        return new TensorFlowSelfCheck(passed, hash, ExpectedMathHash, message);
    }

    private enum Kind
    {
        Uniform,
        Normal,
        TruncatedNormal,
    }

    /// <summary>
    /// Draws into a new tensor. <paramref name="a"/>, <paramref name="b"/> are (minval, maxval) for a uniform and
    /// (mean, stddev) otherwise, still in Python's double precision.
    /// </summary>
    private static Tensor Sample(long[] shape, ScalarType dtype, Seed seed, Kind kind, double a, double b)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d < 0))
        {
            throw new ArgumentException($"Every dimension of the shape must be 0 or more; received shape ({string.Join(", ", shape)}).", nameof(shape));
        }
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16))
        {
            throw new NotSupportedException(
                $"The TensorFlow backend draws float32, float64, float16 and bfloat16; received dtype={dtype}.");
        }
        int elementSize = dtype switch
        {
            ScalarType.Float64 => sizeof(double),
            ScalarType.Float32 => sizeof(float),
            _ => sizeof(ushort),
        };
        BigInteger bytes = shape.Aggregate(BigInteger.One, (product, d) => product * d) * elementSize;
        if (bytes > int.MaxValue)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"The TensorFlow backend fills tensors of at most {int.MaxValue} bytes; shape ({string.Join(", ", shape)}) in {dtype} needs {bytes}."));
        }
        var (s0, s1) = DrawSeed(seed);
        var (key, counter) = StatelessRandom.GetKeyCounter(s0, s1);
        var result = empty(shape, dtype);
        if (result.numel() == 0)
        {
            return result;
        }
        var memory = result.bytes;
        switch (dtype)
        {
            case ScalarType.Float32:
                Fill(MemoryMarshal.Cast<byte, float>(memory), kind, a, b, key, counter);
                break;
            case ScalarType.Float64:
                Fill(MemoryMarshal.Cast<byte, double>(memory), kind, a, b, key, counter);
                break;
            default:
                SixteenBit.Fill(MemoryMarshal.Cast<byte, ushort>(memory), dtype == ScalarType.BFloat16, kind == Kind.Uniform,
                    kind == Kind.TruncatedNormal, a, b, key, counter);
                break;
        }
        return result;
    }

    private static void Fill(Span<float> values, Kind kind, double a, double b, ulong key, UInt128 counter)
    {
        switch (kind)
        {
            case Kind.Uniform:
                float lo = (float)a;
                float hi = (float)b;
                StatelessRandom.Uniform(values, key, counter, hi - lo, lo);
                break;
            case Kind.Normal:
                StatelessRandom.Normal(values, key, counter, (float)b, (float)a);
                break;
            default:
                StatelessRandom.TruncatedNormal(values, key, counter, (float)b, (float)a);
                break;
        }
    }

    private static void Fill(Span<double> values, Kind kind, double a, double b, ulong key, UInt128 counter)
    {
        switch (kind)
        {
            case Kind.Uniform:
                double lo = (float)a;
                double hi = (float)b;
                StatelessRandom.Uniform(values, key, counter, hi - lo, lo);
                break;
            case Kind.Normal:
                StatelessRandom.Normal(values, key, counter, b, a);
                break;
            default:
                StatelessRandom.TruncatedNormal(values, key, counter, b, a);
                break;
        }
    }
}

/// <summary>The outcome of <see cref="TensorFlowBackend.SelfCheck"/>.</summary>
/// <param name="Passed">True when the float math gives glibc's (TensorFlow on Linux) bits on this machine.</param>
/// <param name="Hash">The hash measured here.</param>
/// <param name="ExpectedHash">The hash glibc 2.36's own functions give.</param>
/// <param name="Message">A one-line explanation; a warning when the check failed.</param>
public sealed record TensorFlowSelfCheck(bool Passed, ulong Hash, ulong ExpectedHash, string Message);
