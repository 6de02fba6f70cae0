using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

/// <summary>
/// The embedded logf/sinf/cosf against glibc's. The pinned cases are inputs where glibc's result is not the
/// correctly rounded one (found by running glibc 2.36 in C), so a correctly rounded or differently computed function
/// fails them; the exhaustive tests cover every input Box–Muller can produce.
/// </summary>
[TestOf(typeof(GlibcFloatMath))]
public class GlibcFloatMathTests
{
    private const int Inputs = 1 << 23;

    private static float Float(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    // (input, glibc's logf); the correctly rounded result is one below each.
    [TestCase(0x3A0B9000u, 0xC0F1386Bu)]
    [TestCase(0x3A12B800u, 0xC0EF9EC7u)]
    public void Log_WhereGlibcIsNotCorrectlyRounded_GivesGlibcBits(uint input, uint glibc)
    {
        Assert.That(Bits(GlibcFloatMath.Log(Float(input))), Is.EqualTo(glibc), "scalar");
        Assume.That(GlibcFloatMath.IsVectorized, "the four-lane form needs AVX2 and FMA");
        Assert.That(Bits(GlibcFloatMath.Log(Vector128.Create(Float(input)))[2]), Is.EqualTo(glibc), "4 lanes");
        Assume.That(GlibcFloatMath.IsVectorized512, "the eight-lane form needs AVX-512");
        Assert.That(Bits(GlibcFloatMath.Log(Vector256.Create(Float(input)))[6]), Is.EqualTo(glibc), "8 lanes");
    }

    // (angle, glibc's sinf or cosf), one per quadrant; the correctly rounded result is one ulp away from each.
    [TestCase(0x3CC015C7u, true, 0x3CC01146u)]
    [TestCase(0x3DCF3E0Au, false, 0x3F7EB0BFu)]
    [TestCase(0x3F491325u, false, 0x3F35029Fu)]
    [TestCase(0x3F4EB860u, true, 0x3F38F9CEu)]
    [TestCase(0x4016CC5Bu, true, 0x3F3503A2u)]
    [TestCase(0x401858F8u, false, 0xBF395A56u)]
    [TestCase(0x407B575Du, false, 0xBF34FAEBu)]
    [TestCase(0x407BB2AEu, true, 0xBF36107Cu)]
    public void SinCos_WhereGlibcIsNotCorrectlyRounded_GivesGlibcBits(uint angle, bool sine, uint glibc)
    {
        GlibcFloatMath.SinCos(Float(angle), out float sin, out float cos);
        Assert.That(Bits(sine ? sin : cos), Is.EqualTo(glibc), "scalar");
        Assume.That(GlibcFloatMath.IsVectorized, "the four-lane form needs AVX2 and FMA");
        GlibcFloatMath.SinCos(Vector128.Create(Float(angle)), out var sinV, out var cosV);
        Assert.That(Bits(sine ? sinV[1] : cosV[1]), Is.EqualTo(glibc), "4 lanes");
        Assume.That(GlibcFloatMath.IsVectorized512, "the eight-lane form needs AVX-512");
        GlibcFloatMath.SinCos(Vector256.Create(Float(angle)), out var sin8, out var cos8);
        Assert.That(Bits(sine ? sin8[5] : cos8[5]), Is.EqualTo(glibc), "8 lanes");
    }

    [TestCase(0f, 0f, 1f)]
    [TestCase(2.0e-4f, 2.0e-4f, 1f)]
    public void SinCos_BelowTwoToMinus12_IsAngleAndOne(float angle, float expectedSin, float expectedCos)
    {
        GlibcFloatMath.SinCos(angle, out float sin, out float cos);
        Assert.That((sin, cos), Is.EqualTo((expectedSin, expectedCos)));
        Assume.That(GlibcFloatMath.IsVectorized, "the four-lane form needs AVX2 and FMA");
        GlibcFloatMath.SinCos(Vector128.Create(angle), out var sinV, out var cosV);
        Assert.That((sinV[3], cosV[3]), Is.EqualTo((expectedSin, expectedCos)));
        Assume.That(GlibcFloatMath.IsVectorized512, "the eight-lane form needs AVX-512");
        GlibcFloatMath.SinCos(Vector256.Create(angle), out var sin8, out var cos8);
        Assert.That((sin8[7], cos8[7]), Is.EqualTo((expectedSin, expectedCos)));
    }

    [TestCase(4)]
    [TestCase(8)]
    public void VectorAndScalar_AgreeOnEveryBoxMullerInput(int lanes)
    {
        Assume.That(TensorFlowBackend.WidestLanes, Is.GreaterThanOrEqualTo(lanes), $"the {lanes}-lane form needs AVX2 and FMA (8 lanes: AVX-512)");
        var (log, sin, cos) = Compute(lanes);
        var (logS, sinS, cosS) = Compute(1);
        AssertSame(log, logS, "log");
        AssertSame(sin, sinS, "sin");
        AssertSame(cos, cosS, "cos");
    }

    [Test]
    public void EqualThisMachinesGlibc_OnEveryBoxMullerInput()
    {
        // On Linux .NET's MathF calls glibc's logf/sinf/cosf; glibc 2.28 to 2.40 use the algorithms embedded here.
        Assume.That(GlibcVersion() is { } v && v >= new Version(2, 28) && v <= new Version(2, 40),
            "needs glibc 2.28–2.40 as the C library");
        var (log, sin, cos) = Compute(TensorFlowBackend.WidestLanes);
        var glibcLog = new float[Inputs];
        var glibcSin = new float[Inputs];
        var glibcCos = new float[Inputs];
        Parallel.For(1, Inputs, k =>
        {
            float u = k * (1.0f / Inputs);
            glibcLog[k] = MathF.Log(Math.Max(u, 1.0e-7f));
            float theta = (float)(2.0 * Math.PI * u);
            glibcSin[k] = MathF.Sin(theta);
            glibcCos[k] = MathF.Cos(theta);
        });
        log[0] = sin[0] = cos[0] = 0f;
        AssertSame(log, glibcLog, "log");
        AssertSame(sin, glibcSin, "sin");
        AssertSame(cos, glibcCos, "cos");
    }

    private static (float[] Log, float[] Sin, float[] Cos) Compute(int lanes)
    {
        var log = new float[Inputs];
        var sin = new float[Inputs];
        var cos = new float[Inputs];
        TensorFlowBackend.BoxMullerInputs(0, log, sin, cos, lanes);
        return (log, sin, cos);
    }

    private static void AssertSame(float[] actual, float[] expected, string what)
    {
        int first = -1;
        int count = 0;
        for (int k = 1; k < actual.Length; k++)
        {
            if (Bits(actual[k]) != Bits(expected[k]))
            {
                first = first < 0 ? k : first;
                count++;
            }
        }
        Assert.That(count, Is.Zero, () => $"{what}: {count} inputs differ, the first at k = {first}: {actual[first]:R} vs {expected[first]:R}");
    }

    private static Version? GlibcVersion()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            return Version.TryParse(Marshal.PtrToStringUTF8(GnuGetLibcVersion()), out var version) ? version : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr GnuGetLibcVersion();
}
