using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests.Initializers;

[TestOf(typeof(Initializer))]
public class ConstructionAndCallTests
{
    private const int Seed = 1234;

    [TestCase(0.0, "0")]
    [TestCase(-1.5, "-1.5")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "∞")]
    public void VarianceScaling_BadScale_ThrowsNamingScaleAndValue(double scale, string shown)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new VarianceScaling(scale));

        Assert.That(e!.ParamName, Is.EqualTo("scale"));
        Assert.That(e.Message, Does.StartWith($"Argument `scale` must be a positive finite number; received scale={(shown == "∞" ? "Infinity" : shown)}"));
    }

    [Test]
    public void VarianceScaling_ModeIsCaseSensitive()
    {
        var e = Assert.Throws<ArgumentException>(() => new VarianceScaling(mode: "FAN_IN"));

        Assert.That(e!.ParamName, Is.EqualTo("mode"));
        Assert.That(e.Message, Does.Contain("Invalid `mode` argument: 'FAN_IN'. Allowed (case-sensitive): fan_in, fan_out, fan_avg"));
    }

    [Test]
    public void VarianceScaling_Distribution_LowercasedAndLegacyNormalRewritten()
    {
        Assert.That(new VarianceScaling(distribution: "UNIFORM").Distribution, Is.EqualTo("uniform"));
        Assert.That(new VarianceScaling(distribution: "Normal").Distribution, Is.EqualTo("truncated_normal"));
        var e = Assert.Throws<ArgumentException>(() => new VarianceScaling(distribution: "gaussian"));
        Assert.That(e!.ParamName, Is.EqualTo("distribution"));
        Assert.That(e.Message, Does.Contain("Invalid `distribution` argument: 'gaussian'"));
    }

    [Test]
    public void Stft_BadArguments_ThrowAtConstruction()
    {
        var side = Assert.Throws<ArgumentException>(() => new STFT(side: "complex"));
        Assert.That(side!.ParamName, Is.EqualTo("side"));
        Assert.That(side.Message, Does.StartWith("side should be 'real' or 'imag', not 'complex'"));

        var window = Assert.Throws<ArgumentException>(() => new STFT(window: "Hann"));
        Assert.That(window!.ParamName, Is.EqualTo("window"));
        Assert.That(window.Message, Does.Contain("Unknown window 'Hann'"));
        Assert.That(window.Message, Does.Contain("hann, han, hamming"));

        var kaiser = Assert.Throws<ArgumentException>(() => new STFT(window: "kaiser"));
        Assert.That(kaiser!.Message, Does.Contain("pass its values as an array"));

        var scaling = Assert.Throws<ArgumentException>(() => new STFT(scaling: "power"));
        Assert.That(scaling!.ParamName, Is.EqualTo("scaling"));
        Assert.That(scaling.Message, Does.StartWith("Scaling is invalid, it must be null, 'density' or 'spectrum'. Received scaling='power'"));
    }

    [TestCase(new long[] { 5 })]
    [TestCase(new long[0])]
    public void Orthogonal_RankBelowTwo_Throws(long[] shape)
    {
        var e = Assert.Throws<ArgumentException>(() => new Orthogonal(seed: Seed).Call(shape));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.StartWith("The tensor to initialize must be at least two-dimensional"));
    }

    [TestCase(new long[] { 3 })]
    [TestCase(new long[] { 2, 2, 2 })]
    public void Identity_RankNotTwo_Throws(long[] shape)
    {
        var e = Assert.Throws<ArgumentException>(() => new Identity().Call(shape));

        Assert.That(e!.Message, Does.StartWith($"Identity matrix initializer can only be used for 2D matrices. Received: shape=({string.Join(", ", shape)}) of rank {shape.Length}"));
    }

    [Test]
    public void Identity_Rectangular_GainOnDiagonal()
    {
        using var values = new Identity(2.0).Call([2, 3]);

        Assert.That(values.data<float>().ToArray(), Is.EqualTo(new[] { 2f, 0f, 0f, 0f, 2f, 0f }));
    }

    [Test]
    public void Call_NegativeDimension_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new HeNormal(Seed).Call([4, -1]));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.Contain("shape=(4, -1)"));
    }

    [TestCase("int32")]
    [TestCase("int64")]
    [TestCase("bool")]
    public void Call_IntegerDtypeOnRandom_Throws(string dtype)
    {
        var e = Assert.Throws<ArgumentException>(() => new HeNormal(Seed).Call([2, 2], DTypes.Parse(dtype)));

        Assert.That(e!.ParamName, Is.EqualTo("dtype"));
        Assert.That(e.Message, Does.Contain($"HeNormal supports only floating dtypes (float32, float64, float16, bfloat16); received dtype={dtype}"));
    }

    [Test]
    public void Call_IntegerDtype_AllowedForZerosOnesConstant()
    {
        using var zeros = new Zeros().Call([2], ScalarType.Int32);
        using var ones = new Ones().Call([2], ScalarType.Int64);
        using var constant = new Constant(2.7).Call([2], ScalarType.Int32);
        using var negative = new Constant(-2.7).Call([1], ScalarType.Int32);

        Assert.That(zeros.data<int>().ToArray(), Is.EqualTo(new[] { 0, 0 }));
        Assert.That(ones.data<long>().ToArray(), Is.EqualTo(new[] { 1L, 1L }));
        Assert.That(constant.data<int>().ToArray(), Is.EqualTo(new[] { 2, 2 }), "cast truncates towards zero");
        Assert.That(negative.data<int>().ToArray(), Is.EqualTo(new[] { -2 }));
    }

    [Test]
    public void Constant_RoundsValueToDtype()
    {
        using var values = new Constant(0.1).Call([3], ScalarType.Float16);

        Assert.That(values.to(ScalarType.Float64).data<double>().ToArray(), Is.All.EqualTo((double)(Half)0.1));
    }

    private static IEnumerable<TestCaseData> EveryInitializerShapeAndDtype()
    {
        long[][] anyRank = [[], [5], [4, 6], [3, 4, 5], [2, 3, 4, 5], [0, 5], [3, 0, 2]];
        string[] dtypes = ["float32", "float64", "float16", "bfloat16"];
        (string Name, Func<Initializer> Create, Func<long[], bool> Accepts)[] all =
        [
            ("zeros", () => new Zeros(), _ => true),
            ("ones", () => new Ones(), _ => true),
            ("constant", () => new Constant(0.25), _ => true),
            ("random_normal", () => new RandomNormal(seed: Seed), _ => true),
            ("truncated_normal", () => new TruncatedNormal(seed: Seed), _ => true),
            ("random_uniform", () => new RandomUniform(seed: Seed), _ => true),
            ("variance_scaling", () => new VarianceScaling(seed: Seed), _ => true),
            ("glorot_uniform", () => new GlorotUniform(Seed), _ => true),
            ("glorot_normal", () => new GlorotNormal(Seed), _ => true),
            ("he_normal", () => new HeNormal(Seed), _ => true),
            ("he_uniform", () => new HeUniform(Seed), _ => true),
            ("lecun_normal", () => new LecunNormal(Seed), _ => true),
            ("lecun_uniform", () => new LecunUniform(Seed), _ => true),
            ("orthogonal", () => new Orthogonal(seed: Seed), s => s.Length >= 2),
            ("identity", () => new Identity(), s => s.Length == 2),
            ("stft", () => new STFT(), s => s.Length == 3 && s[2] >= 2),
        ];
        foreach (var (name, create, accepts) in all)
        {
            foreach (long[] shape in anyRank.Where(accepts))
            {
                foreach (string dtype in dtypes)
                {
                    yield return new TestCaseData(create, shape, dtype).SetArgDisplayNames(name, $"({string.Join(",", shape)})", dtype);
                }
            }
        }
    }

    [TestCaseSource(nameof(EveryInitializerShapeAndDtype))]
    public void Call_AnyAcceptedShapeAndFloatDtype_GivesThatShapeAndDtypeAndFiniteValues(Func<Initializer> create, long[] shape, string dtype)
    {
        using var values = create().Call(shape, DTypes.Parse(dtype));

        Assert.That(values.shape, Is.EqualTo(shape));
        Assert.That(DTypes.Name(values.dtype), Is.EqualTo(dtype));
        Assert.That(values.numel(), Is.EqualTo(shape.Aggregate(1L, (a, b) => a * b)));
        Assert.That(values.isfinite().all().item<bool>(), Is.True);
    }
}
