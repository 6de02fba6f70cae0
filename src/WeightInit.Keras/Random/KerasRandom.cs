namespace WeightInit.Keras.Random;

/// <summary>
/// The process-wide random state Keras keeps in Python's <c>random</c> module: where unseeded
/// initializers and seed generators take their seeds when they are constructed.
/// </summary>
public static class KerasRandom
{
    private static readonly object Gate = new();
    // Unseeded, like Python's random at start-up: seeded from the operating system's entropy.
    private static PythonRandom _source = new(System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue));

    /// <summary>
    /// The counterpart of <c>keras.utils.set_random_seed(seed)</c>: from now on, unseeded initializers
    /// draw the seeds Python Keras would draw after the same call (CPython's <c>random.seed(seed)</c>).
    /// Also seeds TorchSharp's global generator, as Keras seeds torch's.
    /// </summary>
    /// <remarks>
    /// Keras also calls <c>np.random.seed(seed)</c>, which only takes 0 to 2^32 - 1, so Keras fails outside that
    /// range; so does this method, but before changing any state (Keras has already reseeded Python's
    /// <c>random</c> when NumPy raises).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative or 2^32 or more.</exception>
    public static void SetRandomSeed(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed,
                $"Seed must be between 0 and 2**32 - 1, as keras.utils.set_random_seed requires; received seed={seed}.");
        }
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
