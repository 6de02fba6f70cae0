using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using WeightInit.Keras.Saving;

namespace WeightInit.Examples;

/// <summary>A model built and initialized here, saved as a <c>.keras</c> archive that Python Keras 3 loads.</summary>
internal sealed class SaveForPythonExample : Example
{
    public override string Name => "save-for-python";

    public override string Summary => "Build with set_random_seed(42), save model.keras, load it back; Python Keras loads the same file.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var model = new Sequential(new InputLayer(64), new Dense(32, "relu", kernelInitializer: "he_normal"), new Dense(10, "softmax"));
        string path = Path.Combine(Path.GetTempPath(), $"weightinit-example-{Environment.ProcessId}.keras");
        try
        {
            model.Save(path);
            lab.Out.WriteLine($"saved {path} ({new FileInfo(path).Length:N0} bytes)");
            var loaded = KerasFile.Load(path);
            var before = model.GetWeights();
            var after = loaded.GetWeights();
            bool same = before.Zip(after).All(p => p.First.data<float>().ToArray().SequenceEqual(p.Second.data<float>().ToArray()));
            lab.Out.WriteLine($"reloaded {loaded.Layers.Count} layers; weights identical: {same}");
        }
        finally
        {
            File.Delete(path);
        }
        lab.Out.WriteLine("In Python: keras.saving.load_model(path).layers[0].kernel equals the kernel that");
        lab.Out.WriteLine("keras.utils.set_random_seed(42) then the same Sequential gives on the torch backend.");
        lab.Notice("the archive is Keras's own layout (config.json, metadata.json, model.weights.h5 stored uncompressed), " +
                   "so the file goes both ways.");
    }
}
