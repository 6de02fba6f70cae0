using WeightInit.Keras.Initializers;
using WeightInit.Keras.Tests.Parity;

namespace WeightInit.Keras.Tests;

[TestOf(typeof(Identity))]
public class IdentityAndConstantTests
{
    [TestCase("identity")]
    [TestCase("Identity")]
    [TestCase("IdentityInitializer")]
    public void Get_IdentityNames_GiveIdentity(string name) =>
        Assert.That(KerasInitializers.Get(name), Is.InstanceOf<Identity>());

    [TestCase("constant")]
    [TestCase("Constant")]
    public void Get_ConstantNames_GiveConstant(string name) =>
        Assert.That(KerasInitializers.Get(name), Is.InstanceOf<Constant>());

    [Test]
    public void Identity_Rectangular_HasGainOnTheMainDiagonal()
    {
        using var t = new Identity(gain: 3.0).Call([2, 3]);
        Assert.That(Golden.Widen(t), Is.EqualTo(new double[] { 3, 0, 0, 0, 3, 0 }));
    }

    [TestCase(new long[] { 4 })]
    [TestCase(new long[] { 2, 2, 2 })]
    public void Identity_NotRank2_ThrowsNamingShapeAndRank(long[] shape)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Identity().Call(shape));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("shape"));
            Assert.That(ex.Message, Does.Contain("only be used for 2D matrices").And.Contain($"of rank {shape.Length}"));
        });
    }

    [Test]
    public void Identity_Config_KeepsGain_UnlikeKeras() =>
        Assert.That(new Identity(gain: 2.0).GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["gain"] = 2.0 }));

    [Test]
    public void Constant_IntDtype_RoundsTheValueToTheDtypeFirst()
    {
        // Keras computes cast(value, dtype) * ones: 2.75 cast to int32 is 2.
        using var t = new Constant(2.75).Call([3], ScalarType.Int32);
        Assert.Multiple(() =>
        {
            Assert.That(t.dtype, Is.EqualTo(ScalarType.Int32));
            Assert.That(t.data<int>().ToArray(), Is.EqualTo(new[] { 2, 2, 2 }));
        });
    }

    [Test]
    public void Constant_Float16_StoresTheRoundedValue()
    {
        // 0.1 is not representable; float16's nearest is 0.0999755859375.
        using var t = new Constant(0.1).Call([2], ScalarType.Float16);
        Assert.That(Golden.Widen(t), Is.All.EqualTo(0.0999755859375));
    }

    [Test]
    public void Constant_Config_HoldsTheValue() =>
        Assert.That(new Constant(0.25).GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["value"] = 0.25 }));
}
