namespace WeightInit.Keras.Random;

/// <summary>
/// The process-wide random state Keras keeps in Python's <c>random</c> module: where unseeded
/// initializers and seed generators take their seeds when they are constructed.
/// </summary>
public static class KerasRandom
{
    private static readonly object Gate = new();
    private static PythonRandom _source = new(System.Numerics.BigInteger.Parse(
        DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// The counterpart of <c>keras.utils.set_random_seed(seed)</c>: from now on, unseeded initializers
    /// draw the seeds Python Keras would draw after the same call (CPython's <c>random.seed(seed)</c>).
    /// Also seeds TorchSharp's global generator, as Keras seeds torch's.
    /// </summary>
    public static void SetRandomSeed(long seed)
    {
        lock (Gate)
        {
            _source = new PythonRandom(seed);
        }
        TorchSharp.torch.manual_seed(seed);
    }

    /// <summary>Keras's <c>make_default_seed()</c>: <c>random.randint(1, 10**9)</c> from the process-wide source.</summary>
    public static long MakeDefaultSeed()
    {
        lock (Gate)
        {
            return _source.RandInt(1, 1_000_000_000);
        }
    }
}
