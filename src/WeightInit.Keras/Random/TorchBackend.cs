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
    /// <remarks>
    /// The ops run in place on the draw where that gives Keras's values bit for bit (float32 and float64: peak memory
    /// one tensor); for float16 and bfloat16 the multiply stays out of place (two tensors).
    /// </remarks>
    public static Tensor Uniform(long[] shape, double minval, double maxval, ScalarType dtype, Seed seed)
    {
        using var generator = NewGenerator(seed);
        using var range = (maxval - minval).ToScalar();
        using var offset = minval.ToScalar();
        long[] size = shape.Length == 0 ? [1] : shape;
        var r = rand(size, dtype, generator: generator);
        Tensor result;
        if (dtype is ScalarType.Float16 or ScalarType.BFloat16)
        {
            // ATen's in-place multiply of a 16-bit float tensor by a scalar rounds differently from Keras's
            // out-of-place one (MemorySavingParityTests shows it), so only the add is done in place here.
            using (r)
            {
                result = r.mul(range);
            }
        }
        else
        {
            // Bit-identical to the out-of-place pair for float32 and float64, without the two temporaries.
            result = r.mul_(range);
        }
        result.add_(offset);
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
    /// <remarks>
    /// The candidates are drawn in chunks of <see cref="TruncatedNormalChunkElements"/> elements from the one
    /// generator, so the peak memory is the result plus one chunk's candidates instead of five times the result.
    /// The values equal Keras's single draw of <c>shape + (4,)</c> bit for bit (tests prove it); see
    /// <see cref="TruncatedNormalChunks"/> for why.
    /// </remarks>
    public static Tensor TruncatedNormal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed) =>
        TruncatedNormal(shape, mean, stddev, dtype, seed, TruncatedNormalChunkElements);

    /// <summary>Output elements per chunk of <see cref="TruncatedNormal(long[], double, double, ScalarType, Seed)"/>.</summary>
    internal const long TruncatedNormalChunkElements = 1L << 20;

    /// <summary>The chunked truncated normal with a given chunk size (a multiple of 4); tests use small ones.</summary>
    internal static Tensor TruncatedNormal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed,
        long chunkElements)
    {
        using var generator = NewGenerator(seed);
        using var lower = (-2.0).ToScalar();
        using var upper = 2.0.ToScalar();
        using var scale = stddev.ToScalar();
        using var shift = mean.ToScalar();
        var result = empty(shape, dtype);
        using var flat = result.view(-1);
        foreach (var (start, count) in TruncatedNormalChunks(flat.numel(), chunkElements))
        {
            using var scope = NewDisposeScope();
            var x = empty([count, 4], dtype).normal_(0.0, 1.0, generator);
            var valid = x.gt(lower).logical_and(x.lt(upper));
            var index = valid.max(-1, keepdim: true).indexes;
            var picked = x.gather(-1, index).squeeze(-1);
            var slice = flat.narrow(0, start, count);
            slice.copy_(picked);
            slice.mul_(scale);
            slice.add_(shift);
        }
        return result;
    }

    /// <summary>
    /// Splits <paramref name="elements"/> output elements into (start, count) chunks whose candidate draws consume the
    /// generator exactly as one draw of all of them does.
    /// </summary>
    /// <remarks>
    /// ATen's CPU <c>normal_</c> on 16 or more contiguous elements first takes one uniform per element in order, then
    /// transforms aligned blocks of 16, and, when the count is not a multiple of 16, takes 16 more uniforms for the
    /// last 16 elements. Every chunk but the last has 4 × <paramref name="chunkElements"/> candidates, a multiple of
    /// 16, so its blocks line up with the single draw's and nothing is redrawn; the last chunk keeps the single draw's
    /// remainder modulo 16 and its trailing redraw. A remainder of fewer than 4 elements (under 16 candidates, which
    /// ATen would sample another way) is merged into the chunk before it.
    /// </remarks>
    internal static IEnumerable<(long Start, long Count)> TruncatedNormalChunks(long elements, long chunkElements)
    {
        if (chunkElements < 4 || chunkElements % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkElements), chunkElements,
                $"chunkElements must be a positive multiple of 4; received {chunkElements}.");
        }
        long start = 0;
        while (start < elements)
        {
            long rest = elements - start;
            long count = rest - chunkElements < 4 ? rest : chunkElements;
            yield return (start, count);
            start += count;
        }
    }

    private static Generator NewGenerator(Seed seed)
    {
        var generator = new Generator(0, CPU);
        generator.manual_seed((long)seed.NextTorchSeed());
        return generator;
    }
}
