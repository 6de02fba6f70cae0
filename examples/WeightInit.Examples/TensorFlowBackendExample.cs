using System.Globalization;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Examples;

/// <summary>The same seeded initializer on Keras's two backends, then the He-normal model built and trained with TensorFlow's numbers.</summary>
internal sealed class TensorFlowBackendExample : Example
{
    public override string Name => "tensorflow-backend";

    public override string Summary => "HeNormal(seed=42) as Keras on PyTorch and on TensorFlow draws it; a model built with TensorFlow's numbers.";

    public override void Run(Lab lab)
    {
        // KERAS_BACKEND=torch and KERAS_BACKEND=tensorflow give different kernels for the same seed.
        var initializer = new HeNormal(seed: 42);
        lab.Out.WriteLine($"HeNormal(seed=42)((3, 4)) on pytorch:    {First(initializer, RandomBackend.PyTorch)}");
        lab.Out.WriteLine($"HeNormal(seed=42)((3, 4)) on tensorflow: {First(initializer, RandomBackend.TensorFlow)}");

        // Everything built inside the scope draws as Keras on TensorFlow, seeds from set_random_seed included.
        using (KerasBackendRandom.Use(RandomBackend.TensorFlow))
        {
            KerasRandom.SetRandomSeed(42);
            var hidden = new Dense(64, "relu", kernelInitializer: new HeNormal());
            var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
            lab.KernelStats(hidden, "truncated normal, std √(2/64), TensorFlow's Philox", 0.0, Math.Sqrt(2.0 / 64));
            lab.TrainOnDigits(model);
        }
        lab.Notice("a seed means different numbers on each Keras backend, so compare against Python with the backend it " +
                   "ran on (KERAS_BACKEND; TensorFlow is Keras's default). The distribution, and so training, is the same.");
    }

    private static string First(Initializer initializer, RandomBackend backend)
    {
        using var t = initializer.Call([3, 4], null, backend);
        return string.Join(", ", t.data<float>().ToArray().Take(4).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }
}
