using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeightInit.Keras.Random.TensorFlow;

/// <summary>
/// The Philox4x32-10 counter-based generator as TensorFlow uses it: a 128-bit counter (word 0 lowest) and a
/// 64-bit key (low word first) map to one block of four 32-bit words. Blocks are independent, so any range of
/// the stream can be computed without the blocks before it.
/// </summary>
public static class Philox4x32
{
    /// <summary>Multiplier applied to counter word 0 in every round.</summary>
    internal const uint M0 = 0xD2511F53;

    /// <summary>Multiplier applied to counter word 2 in every round.</summary>
    internal const uint M1 = 0xCD9E8D57;

    /// <summary>Added to key word 0 between rounds (the golden ratio in 32 bits).</summary>
    internal const uint W0 = 0x9E3779B9;

    /// <summary>Added to key word 1 between rounds (√3 − 1 in 32 bits).</summary>
    internal const uint W1 = 0xBB67AE85;

    /// <summary>Rounds per block.</summary>
    internal const int Rounds = 10;

    /// <summary>Output words per block.</summary>
    public const int WordsPerBlock = 4;

    /// <summary>Computes the block at <paramref name="counter"/> under <paramref name="key"/> into four words.</summary>
    /// <param name="counter">The 128-bit counter; its lowest 32 bits are counter word 0.</param>
    /// <param name="key">The 64-bit key; its low 32 bits are key word 0.</param>
    /// <param name="output">Receives the four output words, in order.</param>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than four words.</exception>
    public static void Block(UInt128 counter, ulong key, Span<uint> output)
    {
        if (output.Length < WordsPerBlock)
        {
            throw new ArgumentException($"The output needs room for {WordsPerBlock} words; its length is {output.Length}.", nameof(output));
        }
        var c = Counter.From(counter);
        Block(c.C0, c.C1, c.C2, c.C3, (uint)key, (uint)(key >> 32), out output[0], out output[1], out output[2], out output[3]);
    }

    /// <summary>
    /// Writes the words of the consecutive blocks <paramref name="counter"/>, <paramref name="counter"/> + 1, …
    /// into <paramref name="output"/> in stream order; a final partial block is cut to fit.
    /// </summary>
    public static void Fill(Span<uint> output, UInt128 counter, ulong key)
    {
        var c = Counter.From(counter);
        FillBlocks(output, c, (uint)key, (uint)(key >> 32), allowVector: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        out uint o0, out uint o1, out uint o2, out uint o3)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (uint)p1;
            c2 = n2;
            c3 = (uint)p0;
        }
        o0 = c0;
        o1 = c1;
        o2 = c2;
        o3 = c3;
    }

    /// <summary>
    /// Fills <paramref name="output"/> with the words of consecutive blocks from <paramref name="start"/>. With
    /// <paramref name="allowVector"/>, eight blocks at a time go through AVX2 where the counter's low word does
    /// not wrap inside the eight; the values never depend on the path taken.
    /// </summary>
    internal static void FillBlocks(Span<uint> output, Counter start, uint k0, uint k1, bool allowVector)
    {
        var c = start;
        int i = 0;
        if (allowVector && Avx2.IsSupported)
        {
            while (output.Length - i >= 8 * WordsPerBlock && c.C0 <= uint.MaxValue - 7)
            {
                Block8(c, k0, k1, output.Slice(i, 8 * WordsPerBlock));
                c = c.Add(8);
                i += 8 * WordsPerBlock;
            }
        }
        while (output.Length - i >= WordsPerBlock)
        {
            Block(c.C0, c.C1, c.C2, c.C3, k0, k1, out output[i], out output[i + 1], out output[i + 2], out output[i + 3]);
            c = c.Add(1);
            i += WordsPerBlock;
        }
        if (i < output.Length)
        {
            Block(c.C0, c.C1, c.C2, c.C3, k0, k1, out uint o0, out uint o1, out uint o2, out _);
            ReadOnlySpan<uint> tail = [o0, o1, o2];
            tail[..(output.Length - i)].CopyTo(output[i..]);
        }
    }

    /// <summary>Eight blocks whose counters differ only in word 0 (start.C0 + 0 … 7, no wrap), one per AVX2 lane.</summary>
    private static void Block8(Counter start, uint k0, uint k1, Span<uint> output)
    {
        var c0 = Vector256.Create(start.C0) + Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        var c1 = Vector256.Create(start.C1);
        var c2 = Vector256.Create(start.C2);
        var c3 = Vector256.Create(start.C3);
        Block8(ref c0, ref c1, ref c2, ref c3, k0, k1);
        Transpose4x8(c0, c1, c2, c3, output);
    }

    /// <summary>
    /// Eight blocks at once, one per AVX2 lane: on entry word i of each lane's counter is in <paramref name="w0"/> …
    /// <paramref name="w3"/>; on return, word i of each lane's output. Requires <see cref="Avx2"/>.
    /// </summary>
    internal static void Block8(ref Vector256<uint> w0, ref Vector256<uint> w1, ref Vector256<uint> w2, ref Vector256<uint> w3, uint k0, uint k1)
    {
        var m0 = Vector256.Create(M0);
        var m1 = Vector256.Create(M1);
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }
            var (hi0, lo0) = MultiplyWide(w0, m0);
            var (hi1, lo1) = MultiplyWide(w2, m1);
            w0 = hi1 ^ w1 ^ Vector256.Create(k0);
            w1 = lo1;
            w2 = hi0 ^ w3 ^ Vector256.Create(k1);
            w3 = lo0;
        }
    }

    /// <summary>The high and low halves of the 64-bit products of eight 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> High, Vector256<uint> Low) MultiplyWide(Vector256<uint> a, Vector256<uint> b)
    {
        var even = Avx2.Multiply(a, b).AsUInt32();
        var odd = Avx2.Multiply(Avx2.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(), b).AsUInt32();
        var low = Avx2.Blend(even, Avx2.ShiftLeftLogical(odd.AsUInt64(), 32).AsUInt32(), 0b1010_1010);
        var high = Avx2.Blend(Avx2.ShiftRightLogical(even.AsUInt64(), 32).AsUInt32(), odd, 0b1010_1010);
        return (high, low);
    }

    /// <summary>Lanes hold blocks, vectors hold words; writes block 0 words 0–3, block 1 words 0–3, and so on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x8(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Span<uint> output)
    {
        var t0 = Avx2.UnpackLow(a, b);
        var t1 = Avx2.UnpackHigh(a, b);
        var t2 = Avx2.UnpackLow(c, d);
        var t3 = Avx2.UnpackHigh(c, d);
        var u0 = Avx2.UnpackLow(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();
        var u1 = Avx2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();
        var u2 = Avx2.UnpackLow(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();
        var u3 = Avx2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();
        Avx2.Permute2x128(u0, u1, 0x20).CopyTo(output);
        Avx2.Permute2x128(u2, u3, 0x20).CopyTo(output[8..]);
        Avx2.Permute2x128(u0, u1, 0x31).CopyTo(output[16..]);
        Avx2.Permute2x128(u2, u3, 0x31).CopyTo(output[24..]);
    }

    /// <summary>A 128-bit Philox counter as four words, word 0 lowest.</summary>
    internal readonly record struct Counter(uint C0, uint C1, uint C2, uint C3)
    {
        public static Counter From(UInt128 value) =>
            new((uint)value, (uint)(value >> 32), (uint)(value >> 64), (uint)(value >> 96));

        public UInt128 ToUInt128() => new(((ulong)C3 << 32) | C2, ((ulong)C1 << 32) | C0);

        /// <summary>This counter plus <paramref name="n"/>, carrying through all four words (wraps at 2^128).</summary>
        public Counter Add(ulong n)
        {
            ulong low = ((ulong)C1 << 32) | C0;
            ulong sum = unchecked(low + n);
            ulong high = ((ulong)C3 << 32) | C2;
            if (sum < low)
            {
                high = unchecked(high + 1);
            }
            return new((uint)sum, (uint)(sum >> 32), (uint)high, (uint)(high >> 32));
        }
    }
}
