using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>A Keras layer: built once from its input shape, then called on batches.</summary>
public abstract class Layer
{
    /// <summary>Names the layer (null means Keras's automatic name from the class's snake_case name).</summary>
    protected Layer(string? name)
    {
        Name = name ?? Naming.UniqueName(Naming.ToSnakeCase(GetType().Name));
    }

    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>True after <see cref="Build"/>.</summary>
    public bool Built { get; private set; }

    /// <summary>The input shape the layer was built for, batch dimension excluded.</summary>
    public long[]? InputShape { get; private set; }

    /// <summary>The layer's variables in Keras order (for Dense: kernel, then bias).</summary>
    public virtual IReadOnlyList<Tensor> Weights => [];

    /// <summary>Creates the variables for an input shape (batch dimension excluded).</summary>
    public void Build(long[] inputShape)
    {
        if (Built)
        {
            return;
        }
        InputShape = [.. inputShape];
        OnBuild(inputShape);
        Built = true;
    }

    /// <summary>Creates the variables; called once.</summary>
    protected virtual void OnBuild(long[] inputShape)
    {
    }

    /// <summary>The output shape for an input shape, batch dimension excluded.</summary>
    public abstract long[] ComputeOutputShape(long[] inputShape);

    /// <summary>The forward pass on a batch; <paramref name="training"/> is true inside <c>Fit</c>.</summary>
    public abstract Tensor Call(Tensor inputs, bool training = false);
}

/// <summary>Keras <c>InputLayer</c> / <c>keras.Input</c>: declares the input shape (batch dimension excluded).</summary>
public sealed class InputLayer : Layer
{
    /// <summary>An input of the given shape, e.g. <c>new InputLayer(64)</c> for Keras's <c>Input((64,))</c>.</summary>
    /// <exception cref="ArgumentException">No dimensions, or a dimension that is not positive.</exception>
    public InputLayer(params long[] shape)
        : this(shape, null)
    {
    }

    /// <summary>An input of the given shape with a name.</summary>
    public InputLayer(long[] shape, string? name)
        : base(name)
    {
        if (shape.Length == 0 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"Input shape must have positive dimensions; received ({string.Join(", ", shape)}).", nameof(shape));
        }
        Shape = [.. shape];
    }

    /// <summary>The declared shape.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <inheritdoc />
    public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

    /// <inheritdoc />
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}
