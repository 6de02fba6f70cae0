namespace WeightInit.Keras.Random;

/// <summary>
/// CPython's <c>random.Random</c> core (MT19937 seeded by <c>init_by_array</c>), enough of it to draw
/// <c>randint</c> exactly as Python does. Keras takes the seeds of unseeded initializers from it.
/// </summary>
public sealed class PythonRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index = N + 1;

    /// <summary>Seeds as <c>random.seed(seed)</c> does for an int: the key is |seed| as 32-bit little-endian words.</summary>
    public PythonRandom(System.Numerics.BigInteger seed)
    {
        byte[] bytes = System.Numerics.BigInteger.Abs(seed).ToByteArray(isUnsigned: true, isBigEndian: false);
        int words = Math.Max(1, (bytes.Length + 3) / 4);
        var key = new uint[words];
        for (int i = 0; i < bytes.Length; i++)
        {
            key[i / 4] |= (uint)bytes[i] << (8 * (i % 4));
        }
        InitByArray(key);
    }

    /// <summary>The next 32 random bits (<c>getrandbits(32)</c>).</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// <c>randint(low, high)</c> for a range of at most 2^32 values: rejection sampling on the top
    /// <c>bit_length(high - low + 1)</c> bits, as CPython's <c>_randbelow</c>.
    /// </summary>
    public long RandInt(long low, long high)
    {
        if (high < low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"randint needs high >= low (low={low}).");
        }
        ulong n = (ulong)(high - low) + 1;
        if (n > 1UL << 32)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, "randint ranges wider than 2^32 are not supported.");
        }
        int k = 64 - System.Numerics.BitOperations.LeadingZeroCount(n);
        ulong r;
        do
        {
            r = NextUInt32() >> (32 - Math.Min(k, 32));
        }
        while (r >= n);
        return low + (long)r;
    }

    private void InitGenRand(uint s)
    {
        _state[0] = s;
        for (int i = 1; i < N; i++)
        {
            _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        }
        _index = N;
    }

    private void InitByArray(uint[] key)
    {
        InitGenRand(19650218u);
        int i = 1, j = 0;
        for (int k = Math.Max(N, key.Length); k > 0; k--)
        {
            _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N)
            {
                _state[0] = _state[N - 1];
                i = 1;
            }
            if (j >= key.Length)
            {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--)
        {
            _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N)
            {
                _state[0] = _state[N - 1];
                i = 1;
            }
        }
        _state[0] = 0x80000000u;
    }

    private void Twist()
    {
        for (int kk = 0; kk < N; kk++)
        {
            uint y = (_state[kk] & 0x80000000u) | (_state[(kk + 1) % N] & 0x7fffffffu);
            _state[kk] = _state[(kk + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
        }
        _index = 0;
    }
}
