using TorchSharp;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Keras <c>Orthogonal</c> (<c>"orthogonal"</c>, <c>"OrthogonalInitializer"</c>): a (rows = ∏ all dims but the last,
/// cols = last dim) matrix with orthonormal columns (or rows, when rows &lt; cols), times <see cref="Gain"/>.
/// Drawn as Keras does: a tall standard normal (max, min), reduced QR, columns multiplied by sign(diag R),
/// transposed when rows &lt; cols. Needs rank ≥ 2. float16 and bfloat16 draw the normal in that dtype, then
/// factor in float32 (libtorch has no half-precision CPU QR; Keras on the torch CPU backend raises there).
/// </summary>
public sealed class Orthogonal : RandomInitializer
{
    /// <summary>Keras default: gain 1.</summary>
    public Orthogonal(double gain = 1.0, Seed? seed = null)
        : base(seed)
    {
        Gain = gain;
    }

    /// <summary>The multiplicative factor.</summary>
    public double Gain { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Rank below 2.</exception>
    protected override Tensor Generate(long[] shape, ScalarType dtype)
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException(
                $"The tensor to initialize must be at least two-dimensional. Received: shape=({string.Join(", ", shape)}) of rank {shape.Length}.",
                nameof(shape));
        }
        using var scope = NewDisposeScope();
        long rows = shape[..^1].Aggregate(1L, (a, b) => a * b);
        long cols = shape[^1];
        Tensor q, r;
        using (var a = KerasBackendRandom.Normal([Math.Max(rows, cols), Math.Min(rows, cols)], 0.0, 1.0, dtype, Seed))
        {
            // libtorch has no CPU QR for float16/bfloat16 (Keras's torch backend fails there); factor those in float32.
            bool half = dtype is ScalarType.Float16 or ScalarType.BFloat16;
            (q, r) = linalg.qr(half ? a.to(ScalarType.Float32) : a, linalg.QRMode.Reduced);
        }
        // In place where the values stay Keras's bit for bit (tests prove it): a multiply by ±1 is exact, and a scalar
        // multiply in place rounds as out of place does for float32 and float64, the dtypes QR ran in. Keeps the peak
        // near two tensors.
        using var gain = Gain.ToScalar();
        q.mul_(r.diagonal().sign());
        q.mul_(gain);
        var oriented = rows < cols ? q.t() : q;
        return oriented.to(dtype).reshape(shape).contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["seed"] = SeedConfig, ["gain"] = Gain };
}
