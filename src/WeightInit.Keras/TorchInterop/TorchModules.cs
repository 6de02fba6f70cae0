using TorchSharp.Modules;
using WeightInit.Keras.Initializers;
using static TorchSharp.torch;

namespace WeightInit.Keras.TorchInterop;

/// <summary>
/// Keras initializers on plain TorchSharp modules. A torch <c>Linear</c> weight is <c>(out, in)</c> and a
/// <c>Conv{1,2,3}d</c> weight <c>(out, in/groups, k…)</c>; Keras's Dense kernel is <c>(in, out)</c> and its Conv kernel
/// <c>(k…, in/groups, out)</c>. Each weight is drawn in the Keras layout, so fans and values are those of the
/// equivalent Keras layer, then permuted into the torch layout and copied in.
/// </summary>
public static class TorchModules
{
    /// <summary>
    /// Initializes every <c>Linear</c>, <c>Conv1d</c>, <c>Conv2d</c> and <c>Conv3d</c> in <paramref name="module"/>
    /// (itself included) as the equivalent Keras layer would be: each layer resolves its own initializers from the
    /// names, as each Keras layer does (so unseeded ones draw a seed per layer). Other modules are left as they are.
    /// </summary>
    /// <returns>The number of layers initialized.</returns>
    /// <exception cref="ArgumentException">An unknown initializer name.</exception>
    public static int ApplyKerasInitializer(nn.Module module, string kernelInitializer = "glorot_uniform", string biasInitializer = "zeros")
    {
        ArgumentNullException.ThrowIfNull(kernelInitializer);
        ArgumentNullException.ThrowIfNull(biasInitializer);
        KerasInitializers.EnsureResolves(kernelInitializer, nameof(kernelInitializer));
        KerasInitializers.EnsureResolves(biasInitializer, nameof(biasInitializer));
        return Apply(module, () => KerasInitializers.Get(kernelInitializer), () => KerasInitializers.Get(biasInitializer));
    }

    /// <summary>
    /// Initializes every <c>Linear</c> and <c>Conv{1,2,3}d</c> in <paramref name="module"/> with these instances,
    /// shared as one Keras initializer instance passed to several layers is: an int seed gives same-shaped layers
    /// equal weights, a SeedGenerator gives each call new values.
    /// </summary>
    /// <returns>The number of layers initialized.</returns>
    public static int ApplyKerasInitializer(nn.Module module, Initializer kernelInitializer, Initializer biasInitializer)
    {
        ArgumentNullException.ThrowIfNull(kernelInitializer);
        ArgumentNullException.ThrowIfNull(biasInitializer);
        return Apply(module, () => kernelInitializer, () => biasInitializer);
    }

    /// <summary>
    /// The Keras kernel shape of a torch weight shape: <c>(out, in)</c> → <c>(in, out)</c>,
    /// <c>(out, in, k…)</c> → <c>(k…, in, out)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A shape of rank below 2.</exception>
    public static long[] KerasKernelShape(ReadOnlySpan<long> torchShape)
    {
        if (torchShape.Length < 2)
        {
            throw new ArgumentException(
                $"A torch weight has rank >= 2 (out, in, k…); received shape=({string.Join(", ", torchShape.ToArray())}).", nameof(torchShape));
        }
        return [.. torchShape[2..], torchShape[1], torchShape[0]];
    }

    /// <summary>
    /// Fills a torch-layout weight <c>(out, in, k…)</c> in place with <paramref name="initializer"/> drawn on the Keras
    /// layout <c>(k…, in, out)</c>, then permuted.
    /// </summary>
    /// <exception cref="ArgumentException">A weight of rank below 2, or a dtype the initializer rejects.</exception>
    public static void InitializeKernel(Tensor weight, Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(initializer);
        long[] kerasShape = KerasKernelShape(weight.shape);
        int rank = kerasShape.Length;
        long[] toTorch = [rank - 1, rank - 2, .. Enumerable.Range(0, rank - 2).Select(i => (long)i)];
        using var keras = initializer.Call(kerasShape, weight.dtype);
        using var torchLayout = keras.permute(toTorch);
        using var _ = no_grad();
        weight.copy_(torchLayout);
    }

    private static int Apply(nn.Module module, Func<Initializer> kernel, Func<Initializer> bias)
    {
        ArgumentNullException.ThrowIfNull(module);
        int count = 0;
        foreach (var layer in module.modules().Prepend(module).Distinct())
        {
            var (weight, biasWeight) = layer switch
            {
                Linear l => (l.weight, l.bias),
                Conv1d c => (c.weight, c.bias),
                Conv2d c => (c.weight, c.bias),
                Conv3d c => (c.weight, c.bias),
                _ => (null, null),
            };
            if (weight is null)
            {
                continue;
            }
            InitializeKernel(weight, kernel());
            if (biasWeight is not null)
            {
                using var values = bias().Call(biasWeight.shape, biasWeight.dtype);
                using var _ = no_grad();
                biasWeight.copy_(values);
            }
            count++;
        }
        return count;
    }
}
