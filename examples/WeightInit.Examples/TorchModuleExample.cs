using System.Globalization;
using WeightInit.Keras.TorchInterop;
using static TorchSharp.torch;

namespace WeightInit.Examples;

/// <summary>Keras initializers on a plain TorchSharp model, with fans computed as Keras computes them.</summary>
internal sealed class TorchModuleExample : Example
{
    public override string Name => "torch-module";

    public override string Summary => "he_normal on a plain TorchSharp Sequential: Keras fans on torch's (out, in) layout.";

    public override void Run(Lab lab)
    {
        var net = nn.Sequential(
            ("fc1", nn.Linear(128, 64)),
            ("relu", nn.ReLU()),
            ("fc2", nn.Linear(64, 10)));
        int initialized = TorchModules.ApplyKerasInitializer(net, "he_normal", "zeros");
        lab.Out.WriteLine($"initialized {initialized} layers");
        foreach (var (name, parameter) in net.named_parameters())
        {
            using var asDouble = parameter.detach().to_type(ScalarType.Float64);
            lab.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-10} shape ({string.Join(", ", parameter.shape)})  std {asDouble.std().item<double>():F4}"));
        }
        lab.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"he_normal for fc1 expects std √(2/128) = {Math.Sqrt(2.0 / 128):F4}; Keras's fan rule read off the torch weight (64, 128) would wrongly give √(2/64) = {Math.Sqrt(2.0 / 64):F4}"));
        lab.Notice("the weight of Linear(128 → 64) is stored (64, 128), but Keras sees the kernel (128, 64): the " +
                   "initializer draws in Keras layout and the values are transposed into the torch weight.");
    }
}
