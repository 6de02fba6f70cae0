using System.Globalization;
using System.Text;
using TorchSharp;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Models;

/// <summary>
/// Keras <c>Sequential</c>: a stack of layers that starts with an <see cref="InputLayer"/>. It is built when it is
/// created, so every kernel is drawn then, in layer order.
/// </summary>
public sealed class Sequential
{
    private readonly List<Layer> _layers = [];
    private Optimizer? _optimizer;
    private string? _loss;
    private bool _accuracy;

    /// <summary>Creates the model from an input layer and the layers that follow it.</summary>
    /// <exception cref="ArgumentException">No <see cref="InputLayer"/> first, or a second one later.</exception>
    public Sequential(IEnumerable<Layer> layers, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Name = name ?? Naming.UniqueName("sequential");
        var list = layers.ToList();
        if (list.Count == 0 || list[0] is not InputLayer input)
        {
            throw new ArgumentException("A Sequential needs an InputLayer first (Keras: Input(shape)); received " +
                (list.Count == 0 ? "no layers." : $"'{list[0].GetType().Name}' first."), nameof(layers));
        }
        Input = input;
        long[] shape = [.. input.Shape];
        foreach (var layer in list.Skip(1))
        {
            if (layer is InputLayer)
            {
                throw new ArgumentException("Only the first layer of a Sequential may be an InputLayer.", nameof(layers));
            }
            layer.Build(shape);
            shape = layer.ComputeOutputShape(shape);
            _layers.Add(layer);
        }
        OutputShape = shape;
    }

    /// <summary>Creates the model from an input layer and the layers that follow it.</summary>
    public Sequential(params Layer[] layers)
        : this((IEnumerable<Layer>)layers)
    {
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>The input layer.</summary>
    public InputLayer Input { get; }

    /// <summary>The layers after the input, as Keras's <c>model.layers</c>.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The output shape, batch dimension excluded.</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>Every variable, in layer order (Keras's <c>model.weights</c>).</summary>
    public IReadOnlyList<Tensor> Weights => [.. _layers.SelectMany(l => l.Weights)];

    /// <summary>The compiled loss name, or null before <see cref="Compile(Optimizer, string, IEnumerable{string}?)"/>.</summary>
    public string? Loss => _loss;

    /// <summary>The compiled optimizer, or null.</summary>
    public Optimizer? Optimizer => _optimizer;

    /// <summary>
    /// Keras <c>compile</c> with an optimizer name (<c>adam</c>, <c>sgd</c>, <c>rmsprop</c>; Keras's default learning
    /// rates), a loss name and metrics (<c>accuracy</c> is the one supported).
    /// </summary>
    public void Compile(string optimizer = "rmsprop", string loss = "mse", IEnumerable<string>? metrics = null) =>
        Compile(Optimizer.Get(optimizer), loss, metrics);

    /// <summary>Keras <c>compile</c> with an optimizer object.</summary>
    /// <exception cref="ArgumentException">Unknown loss or metric; the message lists the valid names.</exception>
    public void Compile(Optimizer optimizer, string loss, IEnumerable<string>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        string normalized = Losses.Normalize(loss);
        bool accuracy = false;
        foreach (string metric in metrics ?? [])
        {
            if (metric is not ("accuracy" or "acc"))
            {
                throw new ArgumentException($"Unknown metric '{metric}'; valid metrics: accuracy.", nameof(metrics));
            }
            accuracy = true;
        }
        _optimizer = optimizer;
        _loss = normalized;
        _accuracy = accuracy;
    }

    /// <summary>The forward pass on a batch (no gradient tracking unless the caller enables it).</summary>
    public Tensor Call(Tensor inputs, bool training = false)
    {
        Tensor current = inputs.alias();
        foreach (var layer in _layers)
        {
            var next = layer.Call(current, training);
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>
    /// Keras <c>fit</c>. The last <paramref name="validationSplit"/> of the samples (before shuffling) is held out, as
    /// Keras does, unless <paramref name="validationData"/> is given. Training samples are shuffled each epoch with a
    /// generator seeded from <paramref name="seed"/>, so equal seeds give equal batch orders.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">Epochs or batch size not positive, a split outside [0, 1), or x and y of different lengths.</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32, double validationSplit = 0.0,
        (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, long seed = 0, Action<EpochEnd>? onEpochEnd = null)
    {
        RequireCompiled();
        if (epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"epochs must be a positive integer (>= 1); received {epochs}.");
        }
        CheckBatchSize(batchSize);
        if (!(validationSplit >= 0.0 && validationSplit < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, $"validationSplit must be in [0, 1); received {validationSplit}.");
        }
        CheckData(x, y);
        Tensor trainX = x, trainY = y;
        (Tensor X, Tensor Y)? validation = validationData;
        if (validationData is null && validationSplit > 0)
        {
            long n = x.shape[0];
            long splitAt = (long)Math.Ceiling(n * (1.0 - validationSplit));
            trainX = x.narrow(0, 0, splitAt);
            trainY = y.narrow(0, 0, splitAt);
            validation = (x.narrow(0, splitAt, n - splitAt), y.narrow(0, splitAt, n - splitAt));
        }
        if (validation is { } v)
        {
            CheckData(v.X, v.Y);
        }
        var history = new History();
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        long count = trainX.shape[0];
        var variables = Weights;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            using var order = shuffle ? randperm(count, generator: generator) : arange(count);
            double lossSum = 0, correct = 0;
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(count, start + batchSize) - start);
                var bx = trainX.index_select(0, index);
                var by = trainY.index_select(0, index);
                foreach (var variable in variables)
                {
                    variable.grad?.zero_();
                }
                var output = Call(bx, training: true);
                var perSample = Losses.PerSample(_loss!, by, output);
                var loss = perSample.mean();
                loss.backward();
                _optimizer!.Apply(variables);
                lossSum += loss.item<float>() * index.shape[0];
                if (_accuracy)
                {
                    correct += CountCorrect(by, output.detach());
                }
            }
            var logs = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = lossSum / count };
            if (_accuracy)
            {
                logs["accuracy"] = correct / count;
            }
            if (validation is { } val)
            {
                foreach (var (key, value) in Evaluate(val.X, val.Y, batchSize))
                {
                    logs["val_" + key] = value;
                }
            }
            history.Add(logs);
            onEpochEnd?.Invoke(new EpochEnd(epoch, epochs, logs));
        }
        return history;
    }

    /// <summary>Keras <c>evaluate</c>: the mean loss (and accuracy when compiled with it) over all samples.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32)
    {
        RequireCompiled();
        CheckBatchSize(batchSize);
        CheckData(x, y);
        using var noGrad = no_grad();
        long count = x.shape[0];
        double lossSum = 0, correct = 0;
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long end = Math.Min(count, start + batchSize);
            var bx = x.narrow(0, start, end - start);
            var by = y.narrow(0, start, end - start);
            var output = Call(bx);
            lossSum += Losses.PerSample(_loss!, by, output).sum().item<float>();
            if (_accuracy)
            {
                correct += CountCorrect(by, output);
            }
        }
        var result = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = lossSum / count };
        if (_accuracy)
        {
            result["accuracy"] = correct / count;
        }
        return result;
    }

    /// <summary>Keras <c>predict</c>: the outputs for every sample, computed in batches.</summary>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        CheckBatchSize(batchSize);
        CheckInput(x);
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += batchSize)
        {
            using var batch = x.narrow(0, start, Math.Min(x.shape[0], start + batchSize) - start);
            parts.Add(Call(batch));
        }
        if (parts.Count == 0)
        {
            return empty([0, .. OutputShape]);
        }
        var result = cat(parts, 0);
        parts.ForEach(p => p.Dispose());
        return result;
    }

    /// <summary>Keras <c>get_weights</c>: copies of every variable, Keras layout (a Dense kernel is <c>(input_dim, units)</c>).</summary>
    public IReadOnlyList<Tensor> GetWeights() => [.. Weights.Select(w => w.detach().clone())];

    /// <summary>Keras <c>set_weights</c>: copies the values into the variables, in <see cref="Weights"/> order.</summary>
    /// <exception cref="ArgumentException">Wrong count or a shape that differs.</exception>
    public void SetWeights(IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var variables = Weights;
        if (weights.Count != variables.Count)
        {
            throw new ArgumentException($"Expected {variables.Count} weight arrays, received {weights.Count}.", nameof(weights));
        }
        for (int i = 0; i < variables.Count; i++)
        {
            if (!variables[i].shape.SequenceEqual(weights[i].shape))
            {
                throw new ArgumentException(
                    $"Weight {i} has shape ({string.Join(", ", weights[i].shape)}); expected ({string.Join(", ", variables[i].shape)}).", nameof(weights));
            }
        }
        using var noGrad = no_grad();
        for (int i = 0; i < variables.Count; i++)
        {
            variables[i].copy_(weights[i]);
        }
    }

    /// <summary>The number of scalar weights (all are trainable here).</summary>
    public long CountParams() => Weights.Sum(w => w.numel());

    /// <summary>Keras <c>summary()</c>: each layer with its output shape and parameter count, then the totals.</summary>
    public void Summary(TextWriter? writer = null)
    {
        writer ??= Console.Out;
        const int W1 = 33, W2 = 24, W3 = 15;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Model: \"{Name}\"");
        sb.AppendLine("┏" + new string('━', W1) + "┳" + new string('━', W2) + "┳" + new string('━', W3) + "┓");
        sb.AppendLine("┃ " + "Layer (type)".PadRight(W1 - 1) + "┃ " + "Output Shape".PadRight(W2 - 1) + "┃" + "Param # ".PadLeft(W3) + "┃");
        sb.AppendLine("┡" + new string('━', W1) + "╇" + new string('━', W2) + "╇" + new string('━', W3) + "┩");
        long[] shape = [.. Input.Shape];
        for (int i = 0; i < _layers.Count; i++)
        {
            var layer = _layers[i];
            shape = layer.ComputeOutputShape(shape);
            string type = $"{layer.Name} ({layer.GetType().Name})";
            string outShape = "(None, " + string.Join(", ", shape) + ")";
            string count = layer.Weights.Sum(w => w.numel()).ToString("N0", CultureInfo.InvariantCulture) + " ";
            sb.AppendLine("│ " + type.PadRight(W1 - 1) + "│ " + outShape.PadRight(W2 - 1) + "│" + count.PadLeft(W3) + "│");
            if (i < _layers.Count - 1)
            {
                sb.AppendLine("├" + new string('─', W1) + "┼" + new string('─', W2) + "┼" + new string('─', W3) + "┤");
            }
        }
        sb.AppendLine("└" + new string('─', W1) + "┴" + new string('─', W2) + "┴" + new string('─', W3) + "┘");
        long total = CountParams();
        long bytes = Weights.Sum(w => w.numel() * w.ElementSize);
        sb.AppendLine(CultureInfo.InvariantCulture, $" Total params: {total:N0} ({FormatBytes(bytes)})");
        sb.AppendLine(CultureInfo.InvariantCulture, $" Trainable params: {total:N0} ({FormatBytes(bytes)})");
        sb.AppendLine(" Non-trainable params: 0 (0.00 B)");
        writer.Write(sb.ToString());
    }

    private static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.00", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private double CountCorrect(Tensor target, Tensor output)
    {
        using var scope = NewDisposeScope();
        Tensor predicted, truth;
        if (_loss == "binary_crossentropy")
        {
            using var half = 0.5.ToScalar();
            predicted = output.gt(half).to_type(ScalarType.Float32);
            truth = target.to_type(ScalarType.Float32).reshape(output.shape);
        }
        else
        {
            predicted = output.argmax(-1);
            truth = _loss == "sparse_categorical_crossentropy" ? target.to_type(ScalarType.Int64).reshape(predicted.shape) : target.argmax(-1);
        }
        return predicted.eq(truth).sum().item<long>();
    }

    private void RequireCompiled()
    {
        if (_optimizer is null || _loss is null)
        {
            throw new InvalidOperationException("You must call Compile() before using the model for training or evaluation.");
        }
    }

    private static void CheckBatchSize(int batchSize)
    {
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be a positive integer (>= 1); received {batchSize}.");
        }
    }

    private void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != Input.Shape.Count + 1 || !x.shape.Skip(1).SequenceEqual(Input.Shape))
        {
            throw new ArgumentException(
                $"Input of shape ({string.Join(", ", x.shape)}) does not match the model's input (None, {string.Join(", ", Input.Shape)}).", nameof(x));
        }
        if (x.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Input dtype must be float32; received {x.dtype}.", nameof(x));
        }
    }

    private void CheckData(Tensor x, Tensor y)
    {
        CheckInput(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.shape.Length == 0 || y.shape[0] != x.shape[0])
        {
            throw new ArgumentException(
                $"x has {x.shape[0]} samples but y has shape ({string.Join(", ", y.shape)}); the first dimensions must match.", nameof(y));
        }
    }
}
