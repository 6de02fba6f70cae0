using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.Cli;

/// <summary><c>--backend</c> on the sampling commands; runs the CLI in-process, so not in parallel.</summary>
[NonParallelizable]
public class BackendOptionTests
{
    [Test]
    public void Sample_TensorFlowBackend_WritesTensorFlowValues_ThenRestoresPyTorch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"weightinit-backend-{Guid.NewGuid():N}.npy");
        try
        {
            var (code, _, _) = CliRunner.Run("sample", "he_normal", "--shape", "16,8", "--seed", "42", "--backend", "tensorflow", "--out", path);
            Assert.That(code, Is.Zero);
            using var written = Npy.Read(path);
            using var tensorflow = new HeNormal(seed: 42).Call([16, 8], null, RandomBackend.TensorFlow);
            using var pytorch = new HeNormal(seed: 42).Call([16, 8]);
            Assert.That(written.data<float>().ToArray(), Is.EqualTo(tensorflow.data<float>().ToArray()));
            Assert.That(written.data<float>().ToArray(), Is.Not.EqualTo(pytorch.data<float>().ToArray()));
            Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.PyTorch), "the command's backend does not leak");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Sample_UnknownBackend_IsRejected()
    {
        var (code, _, error) = CliRunner.Run("sample", "he_normal", "--shape", "4", "--backend", "jax");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("jax").And.Contain("pytorch"));
    }
}
