using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.Parity;

/// <summary>
/// Dtypes and scalar shapes as Keras's torch backend treats them: sampling happens in the requested dtype (nothing
/// is drawn in float32 and cast), a scalar is drawn as Keras draws it, and what the CPU engine cannot do fails clearly.
/// </summary>
[TestOf(typeof(TorchBackend))]
public class DTypeAndShapeParityTests
{
    private const long DTypeSeed = 31;

    private static readonly long[] HalfShape = [16, 8];

    private static IEnumerable<TestCaseData> HalfCases()
    {
        foreach (var dtype in new[] { ScalarType.Float16, ScalarType.BFloat16 })
        {
            foreach (string name in new[] { "random_normal", "truncated_normal", "random_uniform", "he_normal", "glorot_uniform" })
            {
                yield return new TestCaseData(name, dtype).SetName($"RandomInitializer_HalfDtype_IsSampledInThatDtype({name}, {DTypes.Name(dtype)})");
            }
        }
    }

    private static Initializer Seeded(string name) => Golden.Create(name, Golden.EmptyConfig, DTypeSeed);

    [TestCaseSource(nameof(HalfCases))]
    public void RandomInitializer_HalfDtype_IsSampledInThatDtype(string name, ScalarType dtype)
    {
        // The engine draws 16-bit uniforms and normals from other bits of the stream than 32-bit ones, so a draw
        // made in float32 and cast would differ; equal bytes here would mean the dtype was ignored.
        using var half = Seeded(name).Call(HalfShape, dtype);
        using var single = Seeded(name).Call(HalfShape, ScalarType.Float32);
        using var cast = single.to_type(dtype);
        using var again = Seeded(name).Call(HalfShape, dtype);

        Assert.Multiple(() =>
        {
            Assert.That(half.dtype, Is.EqualTo(dtype));
            Assert.That(Golden.Sha256(half), Is.Not.EqualTo(Golden.Sha256(cast)), $"seed={DTypeSeed}");
            Assert.That(Golden.Sha256(again), Is.EqualTo(Golden.Sha256(half)), $"seed={DTypeSeed}: int seed repeats");
        });
    }

    [TestCase(ScalarType.Float16, 2e-3)]
    [TestCase(ScalarType.BFloat16, 2e-2)]
    public void Orthogonal_HalfDtype_IsFactoredInFloat32AndOrthonormalToItsPrecision(ScalarType dtype, double tolerance)
    {
        // libtorch has no CPU QR for 16-bit types (Keras on torch fails there); the library factors in float32 and
        // rounds Q to the dtype. Each entry of QᵀQ then carries about 5 rounding errors of the dtype's epsilon
        // (2^-11 for float16, 2^-8 for bfloat16), so the bound is a few epsilons.
        using var q = new Orthogonal(seed: DTypeSeed).Call([9, 5], dtype);
        Assert.That(q.dtype, Is.EqualTo(dtype));
        using var wide = q.to_type(ScalarType.Float64);
        using var gram = wide.t().matmul(wide);
        using var eye = torch.eye(5, dtype: ScalarType.Float64);
        Assert.That(Golden.Widen(gram), Is.EqualTo(Golden.Widen(eye)).Within(tolerance));
    }

    [Test]
    public void Orthogonal_Float64_IsOrthonormal()
    {
        // Q from a reduced QR has orthonormal columns up to rounding: a few ulps of double per entry of QᵀQ.
        const double Tolerance = 1e-12;
        using var q = new Orthogonal(seed: DTypeSeed).Call([9, 5], ScalarType.Float64);
        using var gram = q.t().matmul(q);
        using var eye = torch.eye(5, dtype: ScalarType.Float64);
        Assert.That(Golden.Widen(gram), Is.EqualTo(Golden.Widen(eye)).Within(Tolerance));
    }

    [Test]
    public void RandomNormal_ScalarShape_IsZeroDimAndTheFirstDrawOfTheSameSeed()
    {
        // Fewer than 16 elements: ATen draws element by element, so a 0-d draw is element 0 of a (3,) draw.
        var golden = Golden.Cases.First(c => c.Initializer == "random_normal" && c.Shape.SequenceEqual(new long[] { 3 }));
        using var scalar = Golden.Create(golden.Initializer, golden.Config, Seed.Of(golden.Seed)).Call([]);
        Assert.Multiple(() =>
        {
            Assert.That(scalar.shape, Is.Empty);
            Assert.That(scalar.ToDouble(), Is.EqualTo(golden.Values![0]));
        });
    }

    [Test]
    public void TruncatedNormal_ScalarShape_IsZeroDimAndTheSameAsShapeOne()
    {
        var initializer = new TruncatedNormal(mean: 1.0, stddev: 0.5, seed: DTypeSeed);
        using var scalar = initializer.Call([]);
        using var one = initializer.Call([1]);
        Assert.Multiple(() =>
        {
            Assert.That(scalar.shape, Is.Empty);
            Assert.That(scalar.ToDouble(), Is.EqualTo(one[0].ToDouble()));
        });
    }

    [Test]
    public void RandomUniform_ScalarShape_IsDrawnAsShapeOne()
    {
        // Keras's torch uniform samples shape () as (1,) and returns element 0.
        var golden = Golden.Cases.Single(c => c.Initializer == "random_uniform" && c.Shape.Length == 0);
        var initializer = Golden.Create(golden.Initializer, golden.Config, Seed.Of(golden.Seed));
        using var one = initializer.Call([1]);
        Assert.That(one[0].ToDouble(), Is.EqualTo(golden.Values![0]));
    }
}
