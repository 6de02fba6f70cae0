using TorchSharp;
using static TorchSharp.torch;

namespace WeightInit.Keras.Random;

/// <summary>
/// The sampling calls of Keras 3's PyTorch backend (<c>keras/src/backend/torch/random.py</c>) on the CPU:
/// a fresh <c>torch.Generator</c> per call, seeded from the <see cref="Seed"/>, passed to engine calls that use it.
/// </summary>
/// <remarks>
/// Scalars are created explicitly and kept alive across each engine call: an implicitly converted TorchSharp Scalar
/// can be finalized on the GC thread while the native call still reads it.
/// </remarks>
public static class TorchBackend
{
    /// <summary>Keras's <c>normal</c>: <c>empty(shape).normal_(mean, stddev, generator)</c>, sampled in <paramref name="dtype"/>.</summary>
    public static Tensor Normal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed)
    {
        using var generator = NewGenerator(seed);
        return empty(shape, dtype).normal_(mean, stddev, generator);
    }

    /// <summary>
    /// Keras's <c>uniform</c>: <c>rand(shape)</c>, then times <c>maxval - minval</c> (a double, rounded to the dtype by
    /// the engine), then plus <paramref name="minval"/>, as two separate ops. A scalar shape is drawn as <c>(1,)</c>.
    /// </summary>
    public static Tensor Uniform(long[] shape, double minval, double maxval, ScalarType dtype, Seed seed)
    {
        using var generator = NewGenerator(seed);
        long[] size = shape.Length == 0 ? [1] : shape;
        using var r = rand(size, dtype, generator: generator);
        using var range = (maxval - minval).ToScalar();
        using var offset = minval.ToScalar();
        using var scaled = r.mul(range);
        var result = scaled.add(offset);
        if (shape.Length == 0)
        {
            using (result)
            {
                return result[0].clone();
            }
        }
        return result;
    }

    /// <summary>
    /// Keras's torch <c>truncated_normal</c>: four standard-normal candidates per element, the first inside the
    /// open interval (-2, 2) is kept (candidate 0 when none is), then times <paramref name="stddev"/> plus
    /// <paramref name="mean"/> in place. With probability about 4.3e-6 an element lies outside ±2σ.
    /// </summary>
    public static Tensor TruncatedNormal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed)
    {
        using var scope = NewDisposeScope();
        using var generator = NewGenerator(seed);
        long[] candidatesShape = [.. shape, 4];
        var x = empty(candidatesShape, dtype).normal_(0.0, 1.0, generator);
        using var lower = (-2.0).ToScalar();
        using var upper = 2.0.ToScalar();
        var valid = x.gt(lower).logical_and(x.lt(upper));
        var index = valid.max(-1, keepdim: true).indexes;
        var picked = x.gather(-1, index).squeeze(-1);
        var result = empty(shape, dtype);
        result.copy_(picked);
        using var scale = stddev.ToScalar();
        using var shift = mean.ToScalar();
        result.mul_(scale);
        result.add_(shift);
        return result.MoveToOuterDisposeScope();
    }

    private static Generator NewGenerator(Seed seed)
    {
        var generator = new Generator(0, CPU);
        generator.manual_seed((long)seed.NextTorchSeed());
        return generator;
    }
}
