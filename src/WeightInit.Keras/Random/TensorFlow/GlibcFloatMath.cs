using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeightInit.Keras.Random.TensorFlow;

/// <summary>
/// The float <c>logf</c>, <c>sinf</c> and <c>cosf</c> that TensorFlow's Box–Muller calls on Linux, computed here
/// step for step as glibc computes them, so normal draws give TensorFlow's bits on every platform; vector forms do
/// four (AVX2 and FMA) or eight (AVX-512) at once.
/// </summary>
/// <remarks>
/// <para>
/// glibc (from 2.28 on; 2.36 was checked on every input) evaluates both functions in double: <c>logf</c> from a
/// 16-entry table of reciprocals and logarithms plus a degree-3 polynomial, <c>sinf</c>/<c>cosf</c> from a
/// reduction by multiples of π/2 and short polynomials. The algorithms and their constants come from Arm's
/// optimized-routines (MIT OR Apache-2.0 WITH LLVM-exception); the constants below are those values, written as
/// bit patterns. Each product-plus-sum is one fused multiply-add, as in glibc's FMA build; its other build gives
/// the same bits on every input Box–Muller can produce.
/// </para>
/// <para>
/// Domains: <see cref="Log(float)"/> takes positive normal floats (Box–Muller's u1 lies in [1e-7, 1));
/// <see cref="SinCos(float, out float, out float)"/> takes |x| &lt; 120 (Box–Muller's angle lies in [0, 2π)).
/// </para>
/// </remarks>
internal static class GlibcFloatMath
{
    /// <summary>True when the four-lane form runs on hardware (AVX2 and FMA).</summary>
    public static bool IsVectorized => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>True when the eight-lane form runs on hardware (AVX-512 and AVX2).</summary>
    public static bool IsVectorized512 => Avx512F.IsSupported && IsVectorized;

    /// <summary>Bit pattern subtracted from the input so its top mantissa bits index the table (about 0.7).</summary>
    private const uint LogOffset = 0x3F330000;

    private static readonly double Ln2 = BitConverter.UInt64BitsToDouble(0x3FE62E42FEFA39EF);

    private static readonly double LogA0 = BitConverter.UInt64BitsToDouble(0xBFD00EA348B88334);

    private static readonly double LogA1 = BitConverter.UInt64BitsToDouble(0x3FD5575B0BE00B6A);

    private static readonly double LogA2 = BitConverter.UInt64BitsToDouble(0xBFDFFFFEF20A4123);

    /// <summary>Bit pattern of 2^-12: below it sin x is x and cos x is 1.</summary>
    private const uint TinyAngleBits = 0x39800000;

    /// <summary>2/π · 2^24: the quadrant comes from truncating x times this, rounded at bit 24.</summary>
    private static readonly double HalfPiInverseScaled = BitConverter.UInt64BitsToDouble(0x41645F306DC9C883);

    private static readonly double HalfPi = BitConverter.UInt64BitsToDouble(0x3FF921FB54442D18);

    private static readonly double Cos1 = BitConverter.UInt64BitsToDouble(0xBFDFFFFFFD0C621C);

    private static readonly double Cos2 = BitConverter.UInt64BitsToDouble(0x3FA55553E1068F19);

    private static readonly double Cos3 = BitConverter.UInt64BitsToDouble(0xBF56C087E89A359D);

    private static readonly double Cos4 = BitConverter.UInt64BitsToDouble(0x3EF99343027BF8C3);

    private static readonly double Sin1 = BitConverter.UInt64BitsToDouble(0xBFC555545995A603);

    private static readonly double Sin2 = BitConverter.UInt64BitsToDouble(0x3F81107605230BC4);

    private static readonly double Sin3 = BitConverter.UInt64BitsToDouble(0xBF2994EB3774CF24);

    /// <summary>1/c for the 16 subintervals of [0.7, 1.4) that the top mantissa bits select.</summary>
    private static ReadOnlySpan<ulong> LogInverseBits =>
    [
        0x3FF661EC79F8F3BE, 0x3FF571ED4AAF883D, 0x3FF49539F0F010B0, 0x3FF3C995B0B80385,
        0x3FF30D190C8864A5, 0x3FF25E227B0B8EA0, 0x3FF1BB4A4A1A343F, 0x3FF12358F08AE5BA,
        0x3FF0953F419900A7, 0x3FF0000000000000, 0x3FEE608CFD9A47AC, 0x3FECA4B31F026AA0,
        0x3FEB2036576AFCE6, 0x3FE9C2D163A1AA2D, 0x3FE886E6037841ED, 0x3FE767DCF5534862,
    ];

    /// <summary>log c for the same subintervals.</summary>
    private static ReadOnlySpan<ulong> LogCenterBits =>
    [
        0xBFD57BF7808CAADE, 0xBFD2BEF0A7C06DDB, 0xBFD01EAE7F513A67, 0xBFCB31D8A68224E9,
        0xBFC6574F0AC07758, 0xBFC1AA2BC79C8100, 0xBFBA4E76CE8C0E5E, 0xBFB1973C5A611CCC,
        0xBFA252F438E10C1E, 0x0000000000000000, 0x3FAAA5AA5DF25984, 0x3FBC5E53AA362EB4,
        0x3FC526E57720DB08, 0x3FCBC2860D224770, 0x3FD1058BC8A07EE1, 0x3FD4043057B6EE09,
    ];

    /// <summary>glibc's <c>logf</c> for a positive normal float.</summary>
    public static float Log(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        uint offset = bits - LogOffset;
        int index = (int)((offset >> 19) & 15);
        int exponent = (int)offset >> 23;
        double z = BitConverter.UInt32BitsToSingle(bits - (offset & 0xFF800000u));
        double r = Math.FusedMultiplyAdd(z, BitConverter.UInt64BitsToDouble(LogInverseBits[index]), -1.0);
        double y0 = Math.FusedMultiplyAdd(exponent, Ln2, BitConverter.UInt64BitsToDouble(LogCenterBits[index]));
        double r2 = r * r;
        double y = Math.FusedMultiplyAdd(r, LogA1, LogA2);
        y = Math.FusedMultiplyAdd(r2, LogA0, y);
        return (float)Math.FusedMultiplyAdd(r2, y, y0 + r);
    }

    /// <summary>glibc's <c>sinf</c> and <c>cosf</c> (equal to its <c>sincosf</c>) for |x| &lt; 120.</summary>
    /// <remarks>
    /// glibc skips the reduction below 0.75; there the quadrant is 0 and the reduced angle is x itself, so reducing
    /// always gives the same bits.
    /// </remarks>
    public static void SinCos(float x, out float sin, out float cos)
    {
        uint magnitude = BitConverter.SingleToUInt32Bits(x) & 0x7FFFFFFFu;
        if (magnitude < TinyAngleBits)
        {
            sin = x;
            cos = 1.0f;
            return;
        }
        int quadrant = ((int)(x * HalfPiInverseScaled) + 0x800000) >> 24;
        double r = Math.FusedMultiplyAdd(-quadrant, HalfPi, x);
        double r2 = r * r;
        float s = (float)SinPolynomial(r, r2);
        float c = (float)CosPolynomial(r2);
        (sin, cos) = (quadrant & 3) switch
        {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SinPolynomial(double x, double x2)
    {
        double x3 = x * x2;
        double inner = Math.FusedMultiplyAdd(x2, Sin3, Sin2);
        double x5 = x3 * x2;
        double s = Math.FusedMultiplyAdd(x3, Sin1, x);
        return Math.FusedMultiplyAdd(x5, inner, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CosPolynomial(double x2)
    {
        double x4 = x2 * x2;
        double high = Math.FusedMultiplyAdd(x2, Cos4, Cos3);
        double low = Math.FusedMultiplyAdd(x2, Cos1, 1.0);
        double x6 = x4 * x2;
        double c = Math.FusedMultiplyAdd(x4, Cos2, low);
        return Math.FusedMultiplyAdd(x6, high, c);
    }

    /// <summary><see cref="Log(float)"/> of four lanes. Requires <see cref="IsVectorized"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<float> Log(Vector128<float> x)
    {
        var bits = x.AsUInt32();
        var offset = bits - Vector128.Create(LogOffset);
        var index = ((offset >>> 19) & Vector128.Create(15u)).AsInt32();
        var exponent = offset.AsInt32() >> 23;
        var z = Avx.ConvertToVector256Double((bits - (offset & Vector128.Create(0xFF800000u))).AsSingle());
        Vector256<double> inverse;
        Vector256<double> center;
        fixed (ulong* inverses = LogInverseBits)
        fixed (ulong* centers = LogCenterBits)
        {
            inverse = Avx2.GatherVector256((double*)inverses, index, 8);
            center = Avx2.GatherVector256((double*)centers, index, 8);
        }
        var r = Fma.MultiplyAdd(z, inverse, Vector256.Create(-1.0));
        var y0 = Fma.MultiplyAdd(Avx.ConvertToVector256Double(exponent), Vector256.Create(Ln2), center);
        var r2 = r * r;
        var y = Fma.MultiplyAdd(r, Vector256.Create(LogA1), Vector256.Create(LogA2));
        y = Fma.MultiplyAdd(r2, Vector256.Create(LogA0), y);
        return Avx.ConvertToVector128Single(Fma.MultiplyAdd(r2, y, y0 + r));
    }

    /// <summary><see cref="SinCos(float, out float, out float)"/> of four lanes. Requires <see cref="IsVectorized"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos(Vector128<float> x, out Vector128<float> sin, out Vector128<float> cos)
    {
        var wide = Avx.ConvertToVector256Double(x);
        var quadrant = Avx.ConvertToVector128Int32WithTruncation(wide * Vector256.Create(HalfPiInverseScaled));
        quadrant = (quadrant + Vector128.Create(0x800000)) >> 24;
        var r = Fma.MultiplyAddNegated(Avx.ConvertToVector256Double(quadrant), Vector256.Create(HalfPi), wide);
        var r2 = r * r;
        var x3 = r * r2;
        var sinInner = Fma.MultiplyAdd(r2, Vector256.Create(Sin3), Vector256.Create(Sin2));
        var x5 = x3 * r2;
        var s = Fma.MultiplyAdd(x5, sinInner, Fma.MultiplyAdd(x3, Vector256.Create(Sin1), r));
        var x4 = r2 * r2;
        var cosHigh = Fma.MultiplyAdd(r2, Vector256.Create(Cos4), Vector256.Create(Cos3));
        var cosLow = Fma.MultiplyAdd(r2, Vector256.Create(Cos1), Vector256.Create(1.0));
        var x6 = x4 * r2;
        var c = Fma.MultiplyAdd(x6, cosHigh, Fma.MultiplyAdd(x4, Vector256.Create(Cos2), cosLow));
        var sinValue = Avx.ConvertToVector128Single(s);
        var cosValue = Avx.ConvertToVector128Single(c);
        var one = Vector128.Create(1);
        var odd = Vector128.Equals(quadrant & one, one).AsSingle();
        var sinSign = ((quadrant & Vector128.Create(2)) << 30).AsSingle();
        var cosSign = (((quadrant + one) & Vector128.Create(2)) << 30).AsSingle();
        sin = Vector128.ConditionalSelect(odd, cosValue, sinValue) ^ sinSign;
        cos = Vector128.ConditionalSelect(odd, sinValue, cosValue) ^ cosSign;
        var tiny = Vector128.LessThan(x.AsInt32() & Vector128.Create(0x7FFFFFFF), Vector128.Create((int)TinyAngleBits)).AsSingle();
        sin = Vector128.ConditionalSelect(tiny, x, sin);
        cos = Vector128.ConditionalSelect(tiny, Vector128.Create(1.0f), cos);
    }

    /// <summary><see cref="Log(float)"/> of eight lanes. Requires <see cref="IsVectorized512"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Log(Vector256<float> x)
    {
        var bits = x.AsUInt32();
        var offset = bits - Vector256.Create(LogOffset);
        var index = Avx512F.ConvertToVector512Int64(((offset >>> 19) & Vector256.Create(15u)).AsInt32());
        var exponent = offset.AsInt32() >> 23;
        var z = Avx512F.ConvertToVector512Double((bits - (offset & Vector256.Create(0xFF800000u))).AsSingle());
        var inverses = MemoryMarshal.Cast<ulong, double>(LogInverseBits);
        var centers = MemoryMarshal.Cast<ulong, double>(LogCenterBits);
        var inverse = Avx512F.PermuteVar8x64x2(Vector512.Create(inverses[..8]), index, Vector512.Create(inverses[8..]));
        var center = Avx512F.PermuteVar8x64x2(Vector512.Create(centers[..8]), index, Vector512.Create(centers[8..]));
        var r = Avx512F.FusedMultiplyAdd(z, inverse, Vector512.Create(-1.0));
        var y0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Double(exponent), Vector512.Create(Ln2), center);
        var r2 = r * r;
        var y = Avx512F.FusedMultiplyAdd(r, Vector512.Create(LogA1), Vector512.Create(LogA2));
        y = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(LogA0), y);
        return Avx512F.ConvertToVector256Single(Avx512F.FusedMultiplyAdd(r2, y, y0 + r));
    }

    /// <summary><see cref="SinCos(float, out float, out float)"/> of eight lanes. Requires <see cref="IsVectorized512"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos(Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        var wide = Avx512F.ConvertToVector512Double(x);
        var quadrant = Avx512F.ConvertToVector256Int32WithTruncation(wide * Vector512.Create(HalfPiInverseScaled));
        quadrant = (quadrant + Vector256.Create(0x800000)) >> 24;
        var r = Avx512F.FusedMultiplyAddNegated(Avx512F.ConvertToVector512Double(quadrant), Vector512.Create(HalfPi), wide);
        var r2 = r * r;
        var x3 = r * r2;
        var sinInner = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(Sin3), Vector512.Create(Sin2));
        var x5 = x3 * r2;
        var s = Avx512F.FusedMultiplyAdd(x5, sinInner, Avx512F.FusedMultiplyAdd(x3, Vector512.Create(Sin1), r));
        var x4 = r2 * r2;
        var cosHigh = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(Cos4), Vector512.Create(Cos3));
        var cosLow = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(Cos1), Vector512.Create(1.0));
        var x6 = x4 * r2;
        var c = Avx512F.FusedMultiplyAdd(x6, cosHigh, Avx512F.FusedMultiplyAdd(x4, Vector512.Create(Cos2), cosLow));
        var sinValue = Avx512F.ConvertToVector256Single(s);
        var cosValue = Avx512F.ConvertToVector256Single(c);
        var one = Vector256.Create(1);
        var odd = Vector256.Equals(quadrant & one, one).AsSingle();
        var sinSign = ((quadrant & Vector256.Create(2)) << 30).AsSingle();
        var cosSign = (((quadrant + one) & Vector256.Create(2)) << 30).AsSingle();
        sin = Vector256.ConditionalSelect(odd, cosValue, sinValue) ^ sinSign;
        cos = Vector256.ConditionalSelect(odd, sinValue, cosValue) ^ cosSign;
        var tiny = Vector256.LessThan(x.AsInt32() & Vector256.Create(0x7FFFFFFF), Vector256.Create((int)TinyAngleBits)).AsSingle();
        sin = Vector256.ConditionalSelect(tiny, x, sin);
        cos = Vector256.ConditionalSelect(tiny, Vector256.Create(1.0f), cos);
    }
}
