using WeightInit.Keras.Initializers;
using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>
/// Keras <c>Dense</c>: <c>activation(inputs · kernel + bias)</c> with the kernel in Keras layout
/// <c>(input_dim, units)</c> (the transpose of a torch <c>Linear.weight</c>). Defaults as in Keras: kernel
/// <c>glorot_uniform</c>, bias <c>zeros</c>, no activation.
/// </summary>
public sealed class Dense : Layer
{
    private Tensor? _kernel;
    private Tensor? _bias;

    /// <summary>
    /// Creates the layer. An initializer may be given as a Keras name (<c>"he_normal"</c>) or an instance (used as
    /// given, not copied, as in Keras); null means Keras's default (<c>glorot_uniform</c> kernel, <c>zeros</c> bias).
    /// Names are resolved when the arguments are evaluated, kernel first, as Keras's constructor does, so an unseeded
    /// initializer takes its seed at this point.
    /// </summary>
    /// <exception cref="ArgumentException">Units not positive, or an unknown activation or initializer name.</exception>
    public Dense(int units, string? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, string? name = null)
        : base(name)
    {
        if (units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units,
                $"Received an invalid value for `units`, expected a positive integer. Received: units={units}.");
        }
        Units = units;
        Activation = Activations.Normalize(activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? KerasInitializers.Get("glorot_uniform");
        BiasInitializer = biasInitializer ?? KerasInitializers.Get("zeros");
    }

    /// <summary>Output width.</summary>
    public int Units { get; }

    /// <summary>The activation's Keras name (<c>linear</c> when none was given).</summary>
    public string Activation { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }

    /// <summary>Fills the kernel.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Fills the bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The kernel, <c>(input_dim, units)</c>; null before the layer is built.</summary>
    public Tensor? Kernel => _kernel;

    /// <summary>The bias, <c>(units,)</c>; null before the layer is built or without bias.</summary>
    public Tensor? Bias => _bias;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Weights => _kernel is null ? [] : _bias is null ? [_kernel] : [_kernel, _bias];

    /// <inheritdoc />
    protected override void OnBuild(long[] inputShape)
    {
        long inputDim = inputShape[^1];
        using (var k = KernelInitializer.Call([inputDim, Units]))
        {
            _kernel = k.detach().clone().requires_grad_(true).DetachFromDisposeScope();
        }
        if (UseBias)
        {
            using var b = BiasInitializer.Call([Units]);
            _bias = b.detach().clone().requires_grad_(true).DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];

    /// <inheritdoc />
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (_kernel is null)
        {
            throw new InvalidOperationException($"Layer '{Name}' is not built; add it to a Sequential with an input shape.");
        }
        using var z = inputs.matmul(_kernel);
        if (_bias is null)
        {
            return Activations.Apply(Activation, z);
        }
        using var zb = z.add(_bias);
        return Activations.Apply(Activation, zb);
    }
}
