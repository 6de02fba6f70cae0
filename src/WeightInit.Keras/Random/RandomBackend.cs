namespace WeightInit.Keras.Random;

/// <summary>Which Keras 3 backend's seeded random numbers the initializers reproduce.</summary>
public enum RandomBackend
{
    /// <summary>Keras on PyTorch: a fresh <c>torch.Generator</c> per draw (libtorch's CPU Mersenne Twister).</summary>
    PyTorch,

    /// <summary>Keras on TensorFlow (its default backend): TensorFlow's stateless Philox kernels.</summary>
    TensorFlow,
}
