namespace WeightInit.Keras.Random;

/// <summary>
/// What a random initializer samples with: a fixed integer (the same values on every call) or a
/// <see cref="SeedGenerator"/> (new values on every call), as Keras's <c>seed</c> argument.
/// </summary>
public readonly struct Seed : IEquatable<Seed>
{
    private Seed(System.Numerics.BigInteger? value, SeedGenerator? generator)
    {
        Value = value;
        Generator = generator;
    }

    /// <summary>The integer seed, when this is one. Any integer is allowed, as in Python.</summary>
    public System.Numerics.BigInteger? Value { get; }

    /// <summary>The generator, when this is one.</summary>
    public SeedGenerator? Generator { get; }

    /// <summary>An integer seed.</summary>
    public static Seed Of(System.Numerics.BigInteger value) => new(value, null);

    /// <summary>A generator seed.</summary>
    public static Seed Of(SeedGenerator generator) => new(null, generator ?? throw new ArgumentNullException(nameof(generator)));

    /// <summary>An integer seed.</summary>
    public static implicit operator Seed(long value) => Of(value);

    /// <summary>A generator seed.</summary>
    public static implicit operator Seed(SeedGenerator generator) => Of(generator);

    /// <summary>
    /// The seed of the fresh <c>torch.Generator</c> one sampling call uses (Keras's <c>draw_seed</c>, then
    /// <c>(a + b) &amp; 0xFFFFFFFF</c>): the integer mod 2^32, or the generator's next state summed.
    /// </summary>
    public ulong NextTorchSeed()
    {
        if (Generator is not null)
        {
            var (a, b) = Generator.Next();
            return (uint)unchecked(a + b);
        }
        var mod = System.Numerics.BigInteger.Remainder(Value!.Value, System.Numerics.BigInteger.One << 32);
        if (mod.Sign < 0)
        {
            mod += System.Numerics.BigInteger.One << 32;
        }
        return (ulong)mod;
    }

    /// <inheritdoc />
    public bool Equals(Seed other) => Value == other.Value && ReferenceEquals(Generator, other.Generator);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Seed other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Generator);

    /// <summary>Equality.</summary>
    public static bool operator ==(Seed left, Seed right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Seed left, Seed right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Generator is not null ? $"SeedGenerator({Generator.Name})" : Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
