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

    [TestCase("pytorch", "leaves about 4.3e-6 of values outside")]
    [TestCase("tensorflow", "keeps every value strictly inside")]
    public void Sample_TruncatedNormal_NotesTheBackendsTail(string backend, string note)
    {
        var (code, output, _) = CliRunner.Run("sample", "truncated_normal", "--shape", "8", "--seed", "1", "--backend", backend);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain($"backend      {backend}").And.Contain(note));
        var (_, json, _) = CliRunner.Run("sample", "he_normal", "--shape", "8", "--seed", "1", "--backend", backend, "--json");
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(json)!["backend"]!.GetValue<string>(), Is.EqualTo(backend));
    }

    [Test]
    public void Init_NamesTheBackendItDrewWith()
    {
        string path = Path.Combine(Path.GetTempPath(), $"weightinit-backend-{Guid.NewGuid():N}.keras");
        try
        {
            var (code, output, _) = CliRunner.Run("init", Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "seed_model.json"),
                "--seed", "42", "--backend", "tensorflow", "-o", path);
            Assert.That(code, Is.Zero);
            Assert.That(output, Does.EndWith("seed 42, tensorflow backend." + Environment.NewLine));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("sample", "he_normal", "--shape", "4", "--out", "", "--out is empty")]
    [TestCase("init", "model.json", "-o", " ", "--seed", "1", "--output is empty")]
    public void EmptyOutputName_OneLineNamingTheOption(string command, string a, string b, string c, string d, string e, string message)
    {
        var (code, output, error) = CliRunner.Run(command, a, b, c, d, e);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"weightinit: error: {message}; give a file name."));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void Sample_Bfloat16ToNpy_SaysTheFileHoldsFloat32()
    {
        string path = Path.Combine(Path.GetTempPath(), $"weightinit-bf16-{Guid.NewGuid():N}.npy");
        try
        {
            var (code, _, error) = CliRunner.Run("sample", "he_normal", "--shape", "4,4", "--seed", "1", "--dtype", "bfloat16", "--out", path);
            Assert.That(code, Is.Zero);
            Assert.That(error, Does.Contain("NumPy has no bfloat16").And.Contain("widened to float32"));
            using var written = Npy.Read(path);
            Assert.That(written.dtype, Is.EqualTo(TorchSharp.torch.ScalarType.Float32));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
