namespace WeightInit.Keras.Models;

/// <summary>What <see cref="Sequential.Fit(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, int, int, double, ValueTuple{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}?, bool, long, Action{EpochEnd}?)"/> returns: per-epoch values by Keras key (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>).</summary>
public sealed class History
{
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);

    /// <summary>Per-epoch values by key, in the order keys were first recorded.</summary>
    public IReadOnlyDictionary<string, List<double>> Values => _values;

    /// <summary>The number of epochs recorded.</summary>
    public int Epochs => _values.Count == 0 ? 0 : _values.First().Value.Count;

    /// <summary>The series of one key.</summary>
    /// <exception cref="KeyNotFoundException">The key was not recorded; the message lists the recorded ones.</exception>
    public IReadOnlyList<double> this[string key] => _values.TryGetValue(key, out var v)
        ? v
        : throw new KeyNotFoundException($"History has no '{key}'; recorded: {string.Join(", ", _values.Keys)}.");

    internal void Add(IReadOnlyDictionary<string, double> logs)
    {
        foreach (var (key, value) in logs)
        {
            if (!_values.TryGetValue(key, out var list))
            {
                list = [];
                _values[key] = list;
            }
            list.Add(value);
        }
    }
}

/// <summary>Reported after each epoch of <c>Fit</c>: the epoch (from 1), the epoch count and the logs.</summary>
/// <param name="Epoch">The epoch just finished, counted from 1.</param>
/// <param name="Epochs">The number of epochs requested.</param>
/// <param name="Logs">The epoch's values by Keras key.</param>
public sealed record EpochEnd(int Epoch, int Epochs, IReadOnlyDictionary<string, double> Logs);
