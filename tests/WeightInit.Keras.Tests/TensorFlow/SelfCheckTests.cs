using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

[TestOf(typeof(TensorFlowBackend))]
public class SelfCheckTests
{
    [Test]
    public void SelfCheck_PassesWithGlibcHash()
    {
        // The expected hash was computed in C from glibc 2.36's own logf/sinf/cosf; the embedded functions must
        // give it on any platform.
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
