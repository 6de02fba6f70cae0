using WeightInit.Keras.Initializers;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Hardening;

/// <summary>The validator refuses inputs it cannot judge instead of passing them with no checks.</summary>
[TestOf(typeof(WeightValidator))]
public class ValidatorHardeningTests
{
    private const int Seed = 1234;

    [Test]
    public void Check_EmptyTensor_Random_Throws()
    {
        using var values = zeros(0, 4);

        var e = Assert.Throws<ArgumentException>(() => WeightValidator.Check(values, new RandomNormal(seed: Seed)));

        Assert.That(e!.ParamName, Is.EqualTo("values"));
        Assert.That(e.Message, Does.StartWith("The tensor of shape (0, 4) has no values to check."));
    }

    [Test]
    public void Check_EmptyTensor_Constant_Throws()
    {
        using var values = zeros(3, 0);

        var e = Assert.Throws<ArgumentException>(() => WeightValidator.Check(values, new Zeros()));

        Assert.That(e!.Message, Does.StartWith("The tensor of shape (3, 0) has no values to check."));
    }

    [Test]
    public void Check_EmptyTensor_AgainstExpectation_Throws()
    {
        using var values = zeros(0);
        var expected = ExpectedDistribution.For(new RandomUniform(seed: Seed), [4]);

        var e = Assert.Throws<ArgumentException>(() => WeightValidator.Check(values, expected));

        Assert.That(e!.Message, Does.StartWith("The tensor of shape (0) has no values to check."));
    }

    [Test]
    public void CheckDraw_EmptyShape_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => WeightValidator.CheckDraw(new HeNormal(seed: Seed), [0, 4]));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.StartWith("The tensor of shape (0, 4) has no values to check."));
    }

    [TestCase(ScalarType.Int32, "int32")]
    [TestCase(ScalarType.Int64, "int64")]
    [TestCase(ScalarType.Bool, "bool")]
    [TestCase(ScalarType.Byte, "uint8")]
    public void Check_NonFloatTensor_Random_ThrowsAskingForFloat(ScalarType dtype, string name)
    {
        using var values = zeros([8, 8], dtype);

        var e = Assert.Throws<ArgumentException>(() => WeightValidator.Check(values, new RandomUniform(seed: Seed)));

        Assert.That(e!.ParamName, Is.EqualTo("values"));
        Assert.That(e.Message, Does.StartWith(
            $"Checking against a random initializer (RandomUniform on (8, 8)) needs a floating-point tensor " +
            $"(float32, float64, float16, bfloat16); received dtype={name}."));
    }

    [Test]
    public void Check_IntTensor_Orthogonal_Throws()
    {
        using var values = eye(4, dtype: ScalarType.Int32);

        var e = Assert.Throws<ArgumentException>(() => WeightValidator.Check(values, new Orthogonal(seed: Seed)));

        Assert.That(e!.Message, Does.Contain("needs a floating-point tensor").And.Contain("received dtype=int32"));
    }

    [Test]
    public void Check_IntTensor_Zeros_IsStillChecked()
    {
        using var good = zeros([2, 3], ScalarType.Int32);
        using var bad = ones([2, 3], ScalarType.Int32);

        Assert.That(WeightValidator.Check(good, new Zeros()).Passed, Is.True);
        Assert.That(WeightValidator.Check(bad, new Zeros()).Passed, Is.False);
    }
}
