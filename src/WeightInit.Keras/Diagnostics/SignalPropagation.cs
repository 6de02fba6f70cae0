using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Diagnostics;

/// <summary>What one layer does to the signal in one forward and one backward pass.</summary>
/// <param name="Layer">The layer's position, from 1 (the first layer after the input).</param>
/// <param name="Name">The layer's name.</param>
/// <param name="ActivationMean">Mean over the batch and units of the layer's output.</param>
/// <param name="ActivationStd">Standard deviation (population form, divisor N) over the batch and units of the layer's output.</param>
/// <param name="InputGradientStd">Standard deviation of the gradient of the loss with respect to the layer's input.</param>
/// <param name="WeightGradientStd">
/// Standard deviation of the gradient of the loss with respect to the layer's first variable (a Dense's kernel), or
/// null for a layer without variables.
/// </param>
/// <remarks>
/// Every statistic is computed in double precision from the float32 tensors. A tensor holding a NaN gives NaN; one holding
/// an infinity (and no NaN) gives a standard deviation of +∞, and a mean that follows IEEE arithmetic.
/// He et al. reason about the second moment E[x²] of the activations; it is
/// <c>ActivationStd² + ActivationMean²</c>.
/// </remarks>
public sealed record LayerSignal(int Layer, string Name, double ActivationMean, double ActivationStd, double InputGradientStd,
    double? WeightGradientStd);

/// <summary>The result of <see cref="SignalPropagation.Measure"/>: the input's statistics, the loss and one entry per layer.</summary>
/// <param name="InputMean">Mean of the input batch.</param>
/// <param name="InputStd">Standard deviation (population form) of the input batch.</param>
/// <param name="Loss">The loss <c>Σ r·y</c> over the batch and the output units, computed in double precision.</param>
/// <param name="Layers">One entry per layer after the input, in order.</param>
public sealed record SignalPropagationResult(double InputMean, double InputStd, double Loss, IReadOnlyList<LayerSignal> Layers)
{
    /// <summary>The first layer whose output mean or standard deviation is NaN or infinite (float32 overflow), or null.</summary>
    public int? FirstNonFiniteActivationLayer =>
        Layers.FirstOrDefault(l => !double.IsFinite(l.ActivationMean) || !double.IsFinite(l.ActivationStd))?.Layer;

    /// <summary>The first layer with a NaN or infinite input-gradient or weight-gradient standard deviation, or null.</summary>
    public int? FirstNonFiniteGradientLayer =>
        Layers.FirstOrDefault(l => !double.IsFinite(l.InputGradientStd) || l.WeightGradientStd is { } w && !double.IsFinite(w))?.Layer;
}

/// <summary>
/// Signal-propagation diagnostics in the manner of Glorot &amp; Bengio (2010) and He et al. (2015): how the spread of the
/// activations and of the gradients changes from layer to layer of a freshly initialized network.
/// </summary>
/// <remarks>
/// <para>
/// The loss is a random linear readout, <c>L = Σ_b Σ_j r_bj·y_bj</c>, with <c>r</c> independent standard-normal values
/// drawn from a seeded generator and summed over the batch and the output units. Its gradient at the output is
/// <c>r</c>, whatever the network computed, so the backward pass starts from unit-variance noise that is independent of
/// the weights. That is the setting of He et al.'s backward analysis: the gradient's spread then changes by the factor
/// <c>fan_out·Var(W)·E[f′(z)²]</c> per layer and nothing else. (A loss such as <c>½·Σ y²</c> would feed the output back in
/// as the gradient, <c>Jᵀ·J·x</c> for a network with Jacobian <c>J</c>, and mix the forward and backward effects.)
/// Row b of the gradient with respect to a layer's input is the gradient of sample b's own term; weight gradients are
/// sums over the batch, so their spread grows with the batch size.
/// </para>
/// <para>
/// The backward pass is one call of the engine's autograd <c>grad</c> on the layer inputs and the first variable of every
/// layer, seeded with <c>r</c>. No hook is registered, the loss is never formed in float32 (an overflowing output still
/// yields its gradient), and the variables' <c>.grad</c> fields are left untouched.
/// </para>
/// </remarks>
public static class SignalPropagation
{
    /// <summary>The loss <see cref="Measure"/> differentiates, as written in reports.</summary>
    public const string LossFormula = "sum over batch and units of r * y, r ~ N(0, 1) fixed by the seed";

    /// <summary>
    /// Runs one forward and one backward pass of <paramref name="model"/> on <paramref name="inputs"/> and records, per
    /// layer, the spread of the output, of the gradient with respect to the layer's input and of the weight gradient.
    /// </summary>
    /// <param name="model">Any Sequential; it is not changed.</param>
    /// <param name="inputs">A float32 batch of shape <c>(batch, …input shape)</c>; it is not changed.</param>
    /// <param name="readoutSeed">
    /// Seeds the readout <c>r</c>: float32 standard normals shaped like the output, drawn with <c>normal_</c> from a CPU
    /// <c>Generator</c> created with this seed (as an unsigned 64-bit value).
    /// </param>
    /// <returns>The statistics. NaN or infinite values (an exploding network) are recorded, not thrown.</returns>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="ArgumentException">The model has no layers, or the input's shape or dtype does not fit the model.</exception>
    public static SignalPropagationResult Measure(Sequential model, Tensor inputs, long readoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (model.Layers.Count == 0)
        {
            throw new ArgumentException($"Model '{model.Name}' has no layers after its input; there is nothing to measure.", nameof(model));
        }
        if (inputs.dim() != model.Input.Shape.Count + 1 || inputs.shape[0] == 0 || !inputs.shape.Skip(1).SequenceEqual(model.Input.Shape))
        {
            throw new ArgumentException(
                $"Input of shape ({string.Join(", ", inputs.shape)}) does not fit the model's input (batch >= 1, {string.Join(", ", model.Input.Shape)}).",
                nameof(inputs));
        }
        if (inputs.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Input dtype must be float32; received {inputs.dtype}.", nameof(inputs));
        }

        using var scope = NewDisposeScope();
        using var gradMode = enable_grad();
        var x = inputs.detach().clone().requires_grad_(true);
        var layerInputs = new List<Tensor>(model.Layers.Count);
        var current = x;
        foreach (var layer in model.Layers)
        {
            layerInputs.Add(current);
            current = layer.Call(current, training: false);
        }
        var output = current;
        var firstWeights = model.Layers.Where(l => l.Weights.Count > 0).Select(l => l.Weights[0]).ToList();
        var targets = layerInputs.Concat(firstWeights).ToList();
        Tensor readout;
        using (var generator = new Generator((ulong)readoutSeed, CPU))
        {
            readout = empty(output.shape, ScalarType.Float32).normal_(0.0, 1.0, generator);
        }
        var gradients = autograd.grad([output], targets, [readout]);

        var layers = new List<LayerSignal>(model.Layers.Count);
        int weightIndex = layerInputs.Count;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var activation = i + 1 < layerInputs.Count ? layerInputs[i + 1] : output;
            var (mean, std) = Moments(activation);
            double? weightStd = layer.Weights.Count > 0 ? Moments(gradients[weightIndex++]).Std : null;
            layers.Add(new LayerSignal(i + 1, layer.Name, mean, std, Moments(gradients[i]).Std, weightStd));
        }
        var (inputMean, inputStd) = Moments(inputs);
        double loss = output.detach().to_type(ScalarType.Float64).mul(readout.to_type(ScalarType.Float64)).sum().item<double>();
        return new SignalPropagationResult(inputMean, inputStd, loss, layers);
    }

    /// <summary>
    /// The deep MLP of the experiment: <c>Input(inputDim)</c> then <paramref name="depth"/> Dense layers of
    /// <paramref name="width"/> units, each with <paramref name="activation"/>, the kernel from
    /// <paramref name="initializer"/> and a zero bias.
    /// </summary>
    /// <param name="inputDim">Features per sample (the first layer's fan-in).</param>
    /// <param name="depth">Number of Dense layers.</param>
    /// <param name="width">Units per Dense layer.</param>
    /// <param name="activation">A Keras activation name (see <see cref="Activations.Names"/>).</param>
    /// <param name="initializer">A Keras initializer name (see <see cref="KerasInitializers.Names"/>).</param>
    /// <param name="seed">
    /// When set, calls <see cref="KerasRandom.SetRandomSeed"/> first, so the kernels are those a Keras script gets from
    /// <c>keras.utils.set_random_seed(seed)</c> followed by building the same model. When null, the process-wide state is used.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A size that is not positive.</exception>
    /// <exception cref="ArgumentException">An unknown activation or initializer name; the message lists the valid ones.</exception>
    public static Sequential BuildMlp(int inputDim, int depth, int width, string activation, string initializer, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(initializer);
        Positive(inputDim, nameof(inputDim));
        Positive(depth, nameof(depth));
        Positive(width, nameof(width));
        if (!Activations.Names.Contains(activation))
        {
            throw new ArgumentException($"Unknown activation '{activation}'; valid activations: {string.Join(", ", Activations.Names)}.", nameof(activation));
        }
        KerasInitializers.RequireKnown(initializer, nameof(initializer));
        if (seed is long s)
        {
            KerasRandom.SetRandomSeed(s);
        }
        var layers = new List<Layer>(depth + 1) { new InputLayer(inputDim) };
        for (int i = 0; i < depth; i++)
        {
            layers.Add(new Dense(width, activation, kernelInitializer: initializer));
        }
        return new Sequential(layers);
    }

    /// <summary>
    /// A float32 batch <c>(batch, features)</c> of independent standard-normal values, drawn with <c>normal_</c> from a CPU
    /// <c>Generator</c> created with <paramref name="seed"/> (as an unsigned 64-bit value); the global generator is not used.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size that is not positive.</exception>
    public static Tensor StandardNormalInput(int batch, int features, long seed)
    {
        Positive(batch, nameof(batch));
        Positive(features, nameof(features));
        using var generator = new Generator((ulong)seed, CPU);
        return empty([batch, features], ScalarType.Float32).normal_(0.0, 1.0, generator);
    }

    private static (double Mean, double Std) Moments(Tensor t)
    {
        using var scope = NewDisposeScope();
        var d = t.detach().to_type(ScalarType.Float64);
        if (d.isnan().any().item<bool>())
        {
            return (double.NaN, double.NaN);
        }
        double mean = d.mean().item<double>();
        if (d.isinf().any().item<bool>())
        {
            return (mean, double.PositiveInfinity);
        }
        double variance = d.sub(mean).square().mean().item<double>();
        return (mean, Math.Sqrt(variance));
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive integer (>= 1); received {value}.");
        }
    }
}
