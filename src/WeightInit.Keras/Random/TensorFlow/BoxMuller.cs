using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeightInit.Keras.Random.TensorFlow;

/// <summary>
/// TensorFlow's word-to-number conversions: uniforms from mantissa bits and the Box–Muller transform, with each
/// step in the precision TensorFlow's CPU kernels use (see the remarks on <see cref="StatelessRandom"/>).
/// </summary>
internal static class BoxMuller
{
    /// <summary>2^-23: one unit in the last place of a float in [1, 2).</summary>
    internal const float Float32Step = 1.0f / (1 << 23);

    /// <summary>2^-52: one unit in the last place of a double in [1, 2).</summary>
    internal const double Float64Step = 1.0 / (1L << 52);

    /// <summary>The smallest u1 fed to the logarithm (TensorFlow's epsilon, in either precision).</summary>
    private const float Float32Epsilon = 1.0e-7f;

    private const double Float64Epsilon = 1.0e-7;

    /// <summary>2π as a double; TensorFlow multiplies the float uniform by it in double, then rounds to float.</summary>
    private const double TwoPi = 2.0 * Math.PI;

    /// <summary>The low 23 bits of a word as a mantissa: a float in [0, 1) with step 2^-23.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform32(uint word) => (int)(word & 0x7FFFFFu) * Float32Step;

    /// <summary>20 bits of <paramref name="high"/> and all of <paramref name="low"/> as a 52-bit mantissa: a double in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform64(uint high, uint low) => (long)(((ulong)(high & 0xFFFFFu) << 32) | low) * Float64Step;

    /// <summary>Two standard normals from two words, in float as TensorFlow computes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Float32(uint a, uint b, out float z0, out float z1)
    {
        float u1 = Math.Max(Uniform32(a), Float32Epsilon);
        float theta = (float)(TwoPi * Uniform32(b));
        float r = MathF.Sqrt(-2.0f * GlibcFloatMath.Log(u1));
        GlibcFloatMath.SinCos(theta, out float sin, out float cos);
        z0 = sin * r;
        z1 = cos * r;
    }

    /// <summary>
    /// <see cref="Float32(uint, uint, out float, out float)"/> on four word pairs (a[j], b[j]) at once. Requires
    /// <see cref="GlibcFloatMath.IsVectorized"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Float32(Vector128<uint> a, Vector128<uint> b, out Vector128<float> z0, out Vector128<float> z1)
    {
        var mantissa = Vector128.Create(0x7FFFFFu);
        var step = Vector128.Create(Float32Step);
        var u1 = Vector128.Max(Vector128.ConvertToSingle((a & mantissa).AsInt32()) * step, Vector128.Create(Float32Epsilon));
        var u2 = Vector128.ConvertToSingle((b & mantissa).AsInt32()) * step;
        var theta = Avx.ConvertToVector128Single(Avx.ConvertToVector256Double(u2) * Vector256.Create(TwoPi));
        var r = Vector128.Sqrt(Vector128.Create(-2.0f) * GlibcFloatMath.Log(u1));
        GlibcFloatMath.SinCos(theta, out var sin, out var cos);
        z0 = sin * r;
        z1 = cos * r;
    }

    /// <summary>Two standard normals from four words, in double as TensorFlow computes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Float64(uint a, uint b, uint c, uint d, out double z0, out double z1)
    {
        double u1 = Math.Max(Uniform64(a, b), Float64Epsilon);
        double theta = TwoPi * Uniform64(c, d);
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        z0 = Math.Sin(theta) * r;
        z1 = Math.Cos(theta) * r;
    }

    /// <summary>
    /// <see cref="Float32(uint, uint, out float, out float)"/> on eight word pairs (a[j], b[j]) at once. Requires
    /// <see cref="GlibcFloatMath.IsVectorized512"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Float32(Vector256<uint> a, Vector256<uint> b, out Vector256<float> z0, out Vector256<float> z1)
    {
        var mantissa = Vector256.Create(0x7FFFFFu);
        var step = Vector256.Create(Float32Step);
        var u1 = Vector256.Max(Vector256.ConvertToSingle((a & mantissa).AsInt32()) * step, Vector256.Create(Float32Epsilon));
        var u2 = Vector256.ConvertToSingle((b & mantissa).AsInt32()) * step;
        var theta = Avx512F.ConvertToVector256Single(Avx512F.ConvertToVector512Double(u2) * Vector512.Create(TwoPi));
        var r = Vector256.Sqrt(Vector256.Create(-2.0f) * GlibcFloatMath.Log(u1));
        GlibcFloatMath.SinCos(theta, out var sin, out var cos);
        z0 = sin * r;
        z1 = cos * r;
    }
}
