namespace WeightInit.Keras.Random;

/// <summary>
/// Keras's <c>keras.random.SeedGenerator</c> on the torch backend: an int32 state <c>[seed, counter]</c>
/// that advances on every draw, so an initializer seeded with it gives new values on each call.
/// </summary>
public sealed class SeedGenerator
{
    private readonly object _gate = new();
    private int _seed;
    private int _counter;

    /// <summary>
    /// Creates a generator. <paramref name="seed"/> null takes one draw from <see cref="KerasRandom"/>,
    /// as Keras's <c>make_default_seed()</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The seed does not fit the torch backend's int32 state.</exception>
    public SeedGenerator(long? seed = null, string? name = null)
    {
        long value = seed ?? KerasRandom.MakeDefaultSeed();
        if (value < int.MinValue || value > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), value,
                $"SeedGenerator seed must fit in int32 ([{int.MinValue}, {int.MaxValue}]) on the torch backend; received seed={value}.");
        }
        InitialSeed = seed;
        _seed = (int)value;
        Name = name ?? Naming.UniqueName("seed_generator");
    }

    /// <summary>The seed given to the constructor (null when one was drawn); what the config records.</summary>
    public long? InitialSeed { get; }

    /// <summary>The generator's name, as in its Keras config.</summary>
    public string Name { get; }

    /// <summary>The current state <c>[seed, counter]</c>.</summary>
    public (int Seed, int Counter) State
    {
        get
        {
            lock (_gate)
            {
                return (_seed, _counter);
            }
        }
    }

    /// <summary>
    /// Returns the state, then advances it: ordered adds <c>[0, 1]</c>; unordered maps both entries to
    /// <c>((x + 1) * 5387) mod 933199</c> with int32 wrap-around and floor modulo.
    /// </summary>
    public (int Seed, int Counter) Next(bool ordered = true)
    {
        lock (_gate)
        {
            var current = (_seed, _counter);
            if (ordered)
            {
                _counter = unchecked(_counter + 1);
            }
            else
            {
                _seed = Scramble(_seed);
                _counter = Scramble(_counter);
            }
            return current;
        }
    }

    private static int Scramble(int x)
    {
        int product = unchecked((x + 1) * 5387);
        int r = product % 933199;
        return r < 0 ? r + 933199 : r;
    }
}
