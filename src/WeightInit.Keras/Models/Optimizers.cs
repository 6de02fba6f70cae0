using TorchSharp;
using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>
/// A Keras optimizer: updates variables in place from their gradients, with Keras 3's update rules
/// (which differ from torch.optim's, e.g. where Adam adds epsilon).
/// </summary>
/// <remarks>
/// Scalars passed to the engine are created explicitly and disposed after the call: an implicitly converted
/// TorchSharp Scalar can be finalized on the GC thread while the native call still reads it.
/// </remarks>
public abstract class Optimizer
{
    /// <summary>Creates an optimizer with a learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate that is not a positive finite number.</exception>
    protected Optimizer(double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"learning rate must be a positive finite number (> 0); received {learningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        LearningRate = learningRate;
    }

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>How many updates have been applied.</summary>
    public long Iterations { get; private set; }

    /// <summary>The accepted names for <see cref="Get"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adam", "sgd", "rmsprop"];

    /// <summary>A new optimizer by Keras name with Keras's defaults (Adam and RMSprop 0.001, SGD 0.01), or the given learning rate.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Optimizer Get(string name, double? learningRate = null) => name?.ToLowerInvariant() switch
    {
        "adam" => new Adam(learningRate ?? 0.001),
        "sgd" => new SGD(learningRate ?? 0.01),
        "rmsprop" => new RMSprop(learningRate ?? 0.001),
        _ => throw new ArgumentException($"Unknown optimizer '{name}'; valid optimizers: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Applies one update to every variable that has a gradient.</summary>
    public void Apply(IReadOnlyList<Tensor> variables)
    {
        Iterations++;
        using var noGrad = no_grad();
        for (int i = 0; i < variables.Count; i++)
        {
            var grad = variables[i].grad;
            if (grad is not null)
            {
                Update(i, variables[i], grad);
            }
        }
    }

    /// <summary>Updates one variable in place; <paramref name="index"/> identifies it across steps.</summary>
    protected abstract void Update(int index, Tensor variable, Tensor gradient);
}

/// <summary>Keras <c>SGD</c> without momentum: <c>v -= lr · g</c>.</summary>
public sealed class SGD(double learningRate = 0.01) : Optimizer(learningRate)
{
    /// <inheritdoc />
    protected override void Update(int index, Tensor variable, Tensor gradient)
    {
        using var lr = LearningRate.ToScalar();
        using var step = gradient.mul(lr);
        variable.sub_(step);
    }
}

/// <summary>
/// Keras <c>Adam</c>: m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂); α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ);
/// var −= α·m / (√v + ε). Defaults lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
/// </summary>
public sealed class Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) : Optimizer(learningRate)
{
    private readonly Dictionary<int, (Tensor M, Tensor V)> _slots = [];

    /// <inheritdoc />
    protected override void Update(int index, Tensor variable, Tensor gradient)
    {
        if (!_slots.TryGetValue(index, out var slot))
        {
            slot = (zeros_like(variable).DetachFromDisposeScope(), zeros_like(variable).DetachFromDisposeScope());
            _slots[index] = slot;
        }
        double t = Iterations;
        double alpha = LearningRate * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var eps = epsilon.ToScalar();
        using var stepSize = alpha.ToScalar();
        using (var dm = gradient.sub(slot.M))
        {
            slot.M.add_(dm, alpha: oneMinusBeta1);
        }
        using (var g2 = gradient.square())
        using (var dv = g2.sub_(slot.V))
        {
            slot.V.add_(dv, alpha: oneMinusBeta2);
        }
        using var denominator = slot.V.sqrt().add_(eps);
        using var step = slot.M.mul(stepSize).div_(denominator);
        variable.sub_(step);
    }
}

/// <summary>
/// Keras <c>RMSprop</c> (no momentum, not centered): v = ρv + (1 − ρ)g²; var −= lr·g / √(v + ε).
/// Defaults lr 0.001, ρ 0.9, ε 1e-7.
/// </summary>
public sealed class RMSprop(double learningRate = 0.001, double rho = 0.9, double epsilon = 1e-7) : Optimizer(learningRate)
{
    private readonly Dictionary<int, Tensor> _velocity = [];

    /// <inheritdoc />
    protected override void Update(int index, Tensor variable, Tensor gradient)
    {
        if (!_velocity.TryGetValue(index, out var v))
        {
            v = zeros_like(variable).DetachFromDisposeScope();
            _velocity[index] = v;
        }
        using var decay = rho.ToScalar();
        using var oneMinusRho = (1 - rho).ToScalar();
        using var eps = epsilon.ToScalar();
        using var lr = LearningRate.ToScalar();
        v.mul_(decay);
        using (var g2 = gradient.square())
        {
            v.add_(g2, alpha: oneMinusRho);
        }
        using var denominator = v.add(eps).sqrt_();
        using var step = gradient.mul(lr).div_(denominator);
        variable.sub_(step);
    }
}
