using static TorchSharp.torch;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// A hand-written TorchSharp training loop for three dense layers (relu, relu, softmax) with Keras's sparse categorical
/// cross-entropy on probabilities and Keras's Adam update: the ops <c>Sequential.Fit</c> runs, without the layer,
/// model and optimizer objects around them.
/// </summary>
public sealed class RawTrainingLoop
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double AdamEpsilon = 1e-7;
    private const double ClipEpsilon = 1e-7;

    private readonly Tensor[] _weights;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly double _learningRate;
    private long _step;

    /// <summary>Starts from copies of <paramref name="initial"/>: kernel, bias for each of the three layers.</summary>
    public RawTrainingLoop(IReadOnlyList<Tensor> initial, double learningRate)
    {
        _weights = [.. initial.Select(w => w.detach().clone().requires_grad_(true))];
        _m = [.. _weights.Select(w => zeros_like(w))];
        _v = [.. _weights.Select(w => zeros_like(w))];
        _learningRate = learningRate;
    }

    /// <summary>The current weights.</summary>
    public IReadOnlyList<Tensor> Weights => _weights;

    /// <summary>One shuffled epoch; returns the mean loss and the accuracy over the epoch's batches.</summary>
    public (double Loss, double Accuracy) Epoch(Tensor x, Tensor y, int batchSize, long seed)
    {
        long count = x.shape[0];
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        using var order = randperm(count, generator: generator);
        double lossSum = 0, correct = 0;
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(count, start + batchSize) - start);
            var bx = x.index_select(0, index);
            var by = y.index_select(0, index);
            foreach (var w in _weights)
            {
                w.grad?.zero_();
            }
            var h1 = nn.functional.relu(bx.matmul(_weights[0]).add(_weights[1]));
            var h2 = nn.functional.relu(h1.matmul(_weights[2]).add(_weights[3]));
            var output = h2.matmul(_weights[4]).add(_weights[5]).softmax(-1);
            var p = output.div(output.sum(-1, keepdim: true)).clamp(ClipEpsilon, 1 - ClipEpsilon);
            var loss = p.log().gather(-1, by.reshape(-1, 1)).squeeze(-1).neg().mean();
            loss.backward();
            AdamStep();
            lossSum += loss.item<float>() * index.shape[0];
            correct += output.detach().argmax(-1).eq(by).sum().item<long>();
        }
        return (lossSum / count, correct / count);
    }

    private void AdamStep()
    {
        _step++;
        double alpha = _learningRate * Math.Sqrt(1 - Math.Pow(Beta2, _step)) / (1 - Math.Pow(Beta1, _step));
        using var noGrad = no_grad();
        for (int i = 0; i < _weights.Length; i++)
        {
            var g = _weights[i].grad!;
            _m[i].add_(g.sub(_m[i]), alpha: 1 - Beta1);
            _v[i].add_(g.square().sub_(_v[i]), alpha: 1 - Beta2);
            _weights[i].sub_(_m[i].mul(alpha).div_(_v[i].sqrt().add_(AdamEpsilon)));
        }
    }
}
