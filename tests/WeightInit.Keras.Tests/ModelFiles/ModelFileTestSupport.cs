using System.Security.Cryptography;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;

namespace WeightInit.Keras.Tests.ModelFiles;

/// <summary>Fixture paths, temporary directories and the fixture's known weights.</summary>
internal static class ModelFileTestSupport
{
    public static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name);

    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "weightinit-modelfiles-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>make_fixtures.py's <c>values(shape, offset)</c>: element k (C order) is (offset + k) / 64 - 0.5, in float32.</summary>
    public static float[] FixtureValues(int count, int offset) =>
        [.. Enumerable.Range(0, count).Select(k => (float)((offset + k) / 64.0 - 0.5))];

    public static float[] Values(Tensor t)
    {
        using var c = t.detach().contiguous();
        return c.data<float>().ToArray();
    }

    /// <summary>SHA-256 of the float32 values as little-endian bytes, as the parity goldens record it.</summary>
    public static string Sha256(Tensor t)
    {
        float[] v = Values(t);
        byte[] bytes = new byte[v.Length * 4];
        Buffer.BlockCopy(v, 0, bytes, 0, bytes.Length);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Input((2, 3)) → Flatten → Dense(5, relu, he_normal seed 11, random_uniform bias seed 3) → Dropout(0.3, seed 5) → Dense(4, glorot_uniform seed 12) → Activation(softmax).</summary>
    public static Sequential SmallModel() => new(
        new InputLayer(2, 3),
        new Flatten(),
        new Dense(5, "relu", true, new HeNormal(seed: 11), new RandomUniform(seed: 3)),
        new Dropout(0.3, seed: 5),
        new Dense(4, null, true, new GlorotUniform(seed: 12)),
        new Activation("softmax"));
}
