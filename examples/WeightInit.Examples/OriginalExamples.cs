using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Examples;

// One example per initializer of the original Python snippets. Each builds the network the snippet builds,
//   keras.Sequential([keras.Input((64,)),
//                     layers.Dense(64, activation=..., kernel_initializer=...),
//                     layers.Dense(10, activation="softmax")])
// prints the hidden kernel's statistics beside the formula, trains on the bundled digits and says what to notice.

/// <summary><c>initializers.RandomNormal(mean=0.0, stddev=0.05)</c>.</summary>
internal sealed class RandomNormalExample : Example
{
    public override string Name => "random-normal";

    public override string Summary => "RandomNormal(mean 0, stddev 0.05): a fixed scale that ignores the layer's width.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var hidden = new Dense(64, "relu", kernelInitializer: new RandomNormal(mean: 0.0, stddev: 0.05));
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
        lab.KernelStats(hidden, "N(0, 0.05²)", 0.0, 0.05);
        lab.TrainOnDigits(model);
        lab.Notice("σ = 0.05 is smaller than He's √(2/64) = 0.177, so activations start small and the first epochs " +
                   "learn slowly; on wider layers a fixed σ would be too large instead.");
    }
}

/// <summary><c>initializers.RandomUniform(minval=-0.05, maxval=0.05)</c>.</summary>
internal sealed class RandomUniformExample : Example
{
    public override string Name => "random-uniform";

    public override string Summary => "RandomUniform(-0.05, 0.05): std 0.05/√3 ≈ 0.029, the smallest start of the eight.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var hidden = new Dense(64, "relu", kernelInitializer: new RandomUniform(minval: -0.05, maxval: 0.05));
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
        lab.KernelStats(hidden, "U[-0.05, 0.05): std = 0.1/√12", 0.0, 0.1 / Math.Sqrt(12));
        lab.TrainOnDigits(model);
        lab.Notice("a uniform's std is range/√12; at 0.029 the signal shrinks through each layer, so this one is " +
                   "usually the slowest of the random initializers to reach 90%.");
    }
}

/// <summary><c>initializers.GlorotUniform()</c>, Keras's default kernel initializer.</summary>
internal sealed class GlorotUniformExample : Example
{
    public override string Name => "glorot-uniform";

    public override string Summary => "GlorotUniform: U(±√(6/(fan_in+fan_out))), Keras's default for Dense kernels.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var hidden = new Dense(64, "tanh", kernelInitializer: new GlorotUniform());
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
        lab.KernelStats(hidden, "limit √(6/(64+64)), std = limit/√3", 0.0, Math.Sqrt(6.0 / 128) / Math.Sqrt(3));
        lab.TrainOnDigits(model);
        lab.Notice("Glorot balances forward and backward variance for symmetric activations such as tanh; " +
                   "it is what Dense uses when you pass no kernel_initializer.");
    }
}

/// <summary><c>initializers.HeNormal()</c> with ReLU.</summary>
internal sealed class HeNormalExample : Example
{
    public override string Name => "he-normal";

    public override string Summary => "HeNormal: truncated normal with std √(2/fan_in), made for ReLU.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var hidden = new Dense(64, "relu", kernelInitializer: new HeNormal());
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
        lab.KernelStats(hidden, "truncated normal, std √(2/64)", 0.0, Math.Sqrt(2.0 / 64));
        lab.TrainOnDigits(model);
        lab.Notice("ReLU zeroes half its inputs, halving the variance; the factor 2 in √(2/fan_in) puts it back, " +
                   "so deep ReLU stacks keep their signal. Keras truncates at ±2σ and divides σ by 0.8796 to keep the variance.");
    }
}

/// <summary><c>initializers.HeUniform()</c> with ReLU.</summary>
internal sealed class HeUniformExample : Example
{
    public override string Name => "he-uniform";

    public override string Summary => "HeUniform: U(±√(6/fan_in)), He's variance 2/fan_in from a uniform.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var hidden = new Dense(64, "relu", kernelInitializer: new HeUniform());
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
        lab.KernelStats(hidden, "limit √(6/64), std = limit/√3", 0.0, Math.Sqrt(6.0 / 64) / Math.Sqrt(3));
        lab.TrainOnDigits(model);
        lab.Notice("same variance as he_normal, from a bounded distribution: no value exceeds √(6/fan_in).");
    }
}

/// <summary><c>initializers.LecunNormal()</c> with SELU.</summary>
internal sealed class LecunNormalExample : Example
{
    public override string Name => "lecun-normal";

    public override string Summary => "LecunNormal: truncated normal with std √(1/fan_in), the partner of SELU.";

    public override void Run(Lab lab)
    {
        KerasRandom.SetRandomSeed(42);
        var hidden = new Dense(64, "selu", kernelInitializer: new LecunNormal());
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax"));
        lab.KernelStats(hidden, "truncated normal, std √(1/64)", 0.0, Math.Sqrt(1.0 / 64));
        lab.TrainOnDigits(model);
        lab.Notice("SELU's self-normalizing property (mean 0, variance 1 kept through depth) assumes weights of " +
                   "variance 1/fan_in: use lecun_normal with selu, and it also suits tanh.");
    }
}

/// <summary><c>initializers.Zeros()</c> on every kernel.</summary>
internal sealed class ZerosExample : Example
{
    public override string Name => "zeros";

    public override string Summary => "Zeros: every weight 0; the network cannot break symmetry.";

    public override void Run(Lab lab)
    {
        var hidden = new Dense(64, "relu", kernelInitializer: new Zeros());
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax", kernelInitializer: new Zeros()));
        lab.KernelStats(hidden, "all 0", 0.0, 0.0);
        lab.TrainOnDigits(model);
        lab.Notice("all hidden units compute the same value (0) and receive the same, zero, gradient: they never " +
                   "learn, and accuracy stays near chance (10%). Zeros is right for biases, not kernels.");
    }
}

/// <summary><c>initializers.Ones()</c> on every kernel.</summary>
internal sealed class OnesExample : Example
{
    public override string Name => "ones";

    public override string Summary => "Ones: every weight 1; identical units and exploding activations.";

    public override void Run(Lab lab)
    {
        var hidden = new Dense(64, "relu", kernelInitializer: new Ones());
        var model = new Sequential(new InputLayer(64), hidden, new Dense(10, "softmax", kernelInitializer: new Ones()));
        lab.KernelStats(hidden, "all 1", 1.0, 0.0);
        lab.TrainOnDigits(model);
        lab.Notice("every unit outputs the sum of its inputs, so the hidden units stay identical and never learn " +
                   "different features. The softmax starts uniform (loss ln 10 ≈ 2.3); the huge hidden activations then " +
                   "make every update swing the logits, so the loss stays above that and accuracy at chance. In deeper " +
                   "stacks the activations grow by the layer's width at each layer until float32 overflows " +
                   "(see weightinit propagate).");
    }
}
