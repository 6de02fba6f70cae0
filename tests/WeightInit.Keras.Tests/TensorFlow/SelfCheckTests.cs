using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

[TestOf(typeof(TensorFlowBackend))]
public class SelfCheckTests
{
    [Test]
    public void SelfCheck_OnLinux_PassesWithGlibcHash()
    {
        // The expected hash was measured with glibc 2.36; other platforms' CRTs may legitimately differ.
        Assume.That(OperatingSystem.IsLinux(), "TensorFlow's bits are those of glibc's float math");
        var check = TensorFlowBackend.SelfCheck();
        Assert.That(check.Hash, Is.EqualTo(TensorFlowBackend.ExpectedMathHash), check.Message);
        Assert.That(check.Passed, Is.True);
        Assert.That(check.Message, Does.Not.StartWith("Warning"));
    }

    [Test]
    public void ComputeMathHash_OneThread_EqualsThreadPool()
    {
        Assert.That(TensorFlowBackend.ComputeMathHash(1), Is.EqualTo(TensorFlowBackend.SelfCheck().Hash));
    }
}
