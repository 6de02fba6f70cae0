using WeightInit.Keras.Random.TensorFlow;
using static TorchSharp.torch;

namespace WeightInit.Keras.Random;

/// <summary>
/// Routes the initializers' draws to the chosen backend: <see cref="TorchBackend"/> or <see cref="TensorFlowBackend"/>.
/// The backend is the innermost <see cref="Use"/> scope on the current async flow, else <see cref="Default"/>.
/// </summary>
public static class KerasBackendRandom
{
    private static readonly AsyncLocal<RandomBackend?> Scoped = new();
    private static volatile int _default = (int)RandomBackend.PyTorch;

    /// <summary>The process-wide backend; <see cref="RandomBackend.PyTorch"/> unless changed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that names no backend.</exception>
    public static RandomBackend Default
    {
        get => (RandomBackend)_default;
        set => _default = (int)Validate(value, nameof(value));
    }

    /// <summary>The backend draws use here and now: the innermost <see cref="Use"/> scope, else <see cref="Default"/>.</summary>
    public static RandomBackend Current => Scoped.Value ?? Default;

    /// <summary>
    /// Makes <paramref name="backend"/> current for this async flow until the returned scope is disposed (scopes
    /// nest; other threads keep their own choice).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that names no backend.</exception>
    public static IDisposable Use(RandomBackend backend)
    {
        Validate(backend, nameof(backend));
        var scope = new Scope(Scoped.Value);
        Scoped.Value = backend;
        return scope;
    }

    /// <summary>Keras's <c>normal</c> on the current backend.</summary>
    public static Tensor Normal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed) => Current switch
    {
        RandomBackend.TensorFlow => TensorFlowBackend.Normal(shape, mean, stddev, dtype, seed),
        _ => TorchBackend.Normal(shape, mean, stddev, dtype, seed),
    };

    /// <summary>Keras's <c>uniform</c> on the current backend.</summary>
    public static Tensor Uniform(long[] shape, double minval, double maxval, ScalarType dtype, Seed seed) => Current switch
    {
        RandomBackend.TensorFlow => TensorFlowBackend.Uniform(shape, minval, maxval, dtype, seed),
        _ => TorchBackend.Uniform(shape, minval, maxval, dtype, seed),
    };

    /// <summary>Keras's <c>truncated_normal</c> on the current backend.</summary>
    public static Tensor TruncatedNormal(long[] shape, double mean, double stddev, ScalarType dtype, Seed seed) => Current switch
    {
        RandomBackend.TensorFlow => TensorFlowBackend.TruncatedNormal(shape, mean, stddev, dtype, seed),
        _ => TorchBackend.TruncatedNormal(shape, mean, stddev, dtype, seed),
    };

    /// <summary>Parses <c>pytorch</c>, <c>torch</c> or <c>tensorflow</c>, <c>tf</c> (any case).</summary>
    /// <exception cref="ArgumentException">Any other name; the message lists the allowed ones.</exception>
    public static RandomBackend Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "pytorch" or "torch" => RandomBackend.PyTorch,
            "tensorflow" or "tf" => RandomBackend.TensorFlow,
            _ => throw new ArgumentException($"Unknown random backend '{name}'; allowed: pytorch (or torch), tensorflow (or tf).", nameof(name)),
        };
    }

    internal static RandomBackend Validate(RandomBackend backend, string paramName) =>
        Enum.IsDefined(backend)
            ? backend
            : throw new ArgumentOutOfRangeException(paramName, backend, $"Unknown random backend {(int)backend}; allowed: {string.Join(", ", Enum.GetNames<RandomBackend>())}.");

    private sealed class Scope(RandomBackend? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                Scoped.Value = previous;
                _disposed = true;
            }
        }
    }
}
