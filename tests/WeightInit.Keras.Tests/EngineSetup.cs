namespace WeightInit.Keras.Tests;

/// <summary>
/// Runs once for the whole test assembly. The tests work on small tensors one after another, where libtorch's
/// intra-op worker threads only add contention (on a loaded 2-core machine they made the suite several times slower);
/// one thread computes the same values, since no sampling or reduction under test depends on the thread count.
/// </summary>
[SetUpFixture]
public class EngineSetup
{
    [OneTimeSetUp]
    public void UseOneEngineThread() => torch.set_num_threads(1);
}
