using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeightInit.Keras.Random.TensorFlow;

/// <summary>
/// TensorFlow's stateless random kernels on the CPU (<c>StatelessRandomUniformV2</c>, <c>StatelessRandomNormalV2</c>,
/// <c>StatelessTruncatedNormalV2</c> with the Philox algorithm), reproduced bit for bit in managed code.
/// </summary>
/// <remarks>
/// <para>
/// Output layout: the flat output is cut into groups. A uniform or normal float group holds 4 values and uses
/// block g of the stream; a double group holds 2. A truncated-normal group (4 floats or 2 doubles) starts its own
/// word stream 256 (float) or 128 (double) blocks after the previous group's and rejects values with |z| ≥ 2.
/// A final partial group is computed in full and cut.
/// </para>
/// <para>
/// Precision: float normals use glibc's <c>logf</c>, <c>sinf</c> and <c>cosf</c>, which TensorFlow calls on Linux,
/// computed by this library step for step (so the bits do not depend on the platform's C library; see
/// <see cref="TensorFlowBackend.SelfCheck"/>), with the angle 2π·u multiplied in double and rounded once to float,
/// as TensorFlow does; four pairs at a time where AVX2 and FMA are available. Double normals use
/// <see cref="Math.Log(double)"/>, <see cref="Math.Sin"/> and <see cref="Math.Cos"/>. The optional affine step
/// (<c>value · scale</c>, then <c>+ shift</c>) rounds after each operation, like the two separate ops TensorFlow's
/// Python wrappers run.
/// </para>
/// <para>
/// Work is split into fixed blocks of groups that run in parallel; every value depends only on its index, so the
/// result is the same for any number of threads.
/// </para>
/// </remarks>
public static class StatelessRandom
{
    /// <summary>The key TensorFlow hashes a seed pair under to get the stream's key and counter.</summary>
    private const uint ScrambleKey0 = 0x3EC8F720;

    private const uint ScrambleKey1 = 0x02461E29;

    /// <summary>Blocks of stream reserved for each truncated-normal group of 4 floats (256 words per output).</summary>
    private const ulong TruncatedSkipFloat32 = 256;

    /// <summary>Blocks of stream reserved for each truncated-normal group of 2 doubles.</summary>
    private const ulong TruncatedSkipFloat64 = 128;

    /// <summary>Truncation bound, in standard deviations (strict: |z| must be below it).</summary>
    private const float TruncateBound = 2.0f;

    /// <summary>Groups per parallel work item: small enough to share out, large enough to keep thread overhead low.</summary>
    private const int GroupsPerChunk = 2048;

    /// <summary>
    /// TensorFlow's <c>StatelessRandomGetKeyCounter</c> for the Philox algorithm: the seed pair (an int32 seed
    /// sign-extended, an int64 seed as is) hashed by one Philox block into the stream's key and counter.
    /// </summary>
    /// <returns>The key (low word first) and the counter (its low 64 bits are zero).</returns>
    public static (ulong Key, UInt128 Counter) GetKeyCounter(long seed0, long seed1)
    {
        ulong s0 = unchecked((ulong)seed0);
        ulong s1 = unchecked((ulong)seed1);
        Philox4x32.Block((uint)s0, (uint)(s0 >> 32), (uint)s1, (uint)(s1 >> 32), ScrambleKey0, ScrambleKey1,
            out uint m0, out uint m1, out uint m2, out uint m3);
        return (((ulong)m1 << 32) | m0, new UInt128(((ulong)m3 << 32) | m2, 0));
    }

    /// <summary>Uniform floats in [0, 1) with step 2^-23 (the low 23 bits of each word), then the affine step.</summary>
    /// <param name="destination">Receives the values, row-major.</param>
    /// <param name="key">The Philox key (from <see cref="GetKeyCounter"/>).</param>
    /// <param name="counter">The Philox counter of the first block.</param>
    /// <param name="scale">Each value is multiplied by this (rounded), …</param>
    /// <param name="shift">… then this is added (rounded).</param>
    public static void Uniform(Span<float> destination, ulong key, UInt128 counter, float scale = 1f, float shift = 0f) =>
        Run(destination, 4, new UniformFloat32(Philox4x32.Counter.From(counter), (uint)key, (uint)(key >> 32), scale, shift), null);

    /// <summary>Uniform doubles in [0, 1) with step 2^-52 (two words each), then the affine step.</summary>
    /// <inheritdoc cref="Uniform(Span{float}, ulong, UInt128, float, float)"/>
    public static void Uniform(Span<double> destination, ulong key, UInt128 counter, double scale = 1.0, double shift = 0.0) =>
        Run(destination, 2, new UniformFloat64(Philox4x32.Counter.From(counter), (uint)key, (uint)(key >> 32), scale, shift), null);

    /// <summary>Standard normal floats (Box–Muller on word pairs), then the affine step.</summary>
    /// <inheritdoc cref="Uniform(Span{float}, ulong, UInt128, float, float)"/>
    public static void Normal(Span<float> destination, ulong key, UInt128 counter, float scale = 1f, float shift = 0f) =>
        Run(destination, 4, new NormalFloat32(Philox4x32.Counter.From(counter), (uint)key, (uint)(key >> 32), scale, shift), null);

    /// <summary>Standard normal doubles (Box–Muller on four words), then the affine step.</summary>
    /// <inheritdoc cref="Uniform(Span{float}, ulong, UInt128, float, float)"/>
    public static void Normal(Span<double> destination, ulong key, UInt128 counter, double scale = 1.0, double shift = 0.0) =>
        Run(destination, 2, new NormalFloat64(Philox4x32.Counter.From(counter), (uint)key, (uint)(key >> 32), scale, shift), null);

    /// <summary>Standard normal floats restricted to (-2, 2) by rejection, then the affine step.</summary>
    /// <inheritdoc cref="Uniform(Span{float}, ulong, UInt128, float, float)"/>
    public static void TruncatedNormal(Span<float> destination, ulong key, UInt128 counter, float scale = 1f, float shift = 0f) =>
        Run(destination, 4, new TruncatedFloat32(Philox4x32.Counter.From(counter), (uint)key, (uint)(key >> 32), scale, shift), null);

    /// <summary>Standard normal doubles restricted to (-2, 2) by rejection, then the affine step.</summary>
    /// <inheritdoc cref="Uniform(Span{float}, ulong, UInt128, float, float)"/>
    public static void TruncatedNormal(Span<double> destination, ulong key, UInt128 counter, double scale = 1.0, double shift = 0.0) =>
        Run(destination, 2, new TruncatedFloat64(Philox4x32.Counter.From(counter), (uint)key, (uint)(key >> 32), scale, shift), null);

    /// <summary>
    /// Cuts <paramref name="destination"/> into chunks of whole groups and fills them, in parallel when there is
    /// more than one chunk. <paramref name="maxThreads"/> null lets the thread pool decide.
    /// </summary>
    internal static unsafe void Run<T, TKernel>(Span<T> destination, int groupSize, TKernel kernel, int? maxThreads)
        where T : unmanaged
        where TKernel : struct, IKernel<T>
    {
        long chunkElements = (long)GroupsPerChunk * groupSize;
        int length = destination.Length;
        int chunks = (int)((length + chunkElements - 1) / chunkElements);
        if (chunks <= 1 || maxThreads == 1)
        {
            kernel.Fill(destination, 0);
            return;
        }
        fixed (T* pointer = destination)
        {
            nint address = (nint)pointer;
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1 };
            Parallel.For(0, chunks, options, chunk =>
            {
                long start = chunk * chunkElements;
                int count = (int)Math.Min(chunkElements, length - start);
                kernel.Fill(new Span<T>((T*)address + start, count), start / groupSize);
            });
        }
    }

    /// <summary>Fills a run of whole groups (the last may be partial) that starts at group <c>firstGroup</c>.</summary>
    internal interface IKernel<T>
    {
        void Fill(Span<T> destination, long firstGroup);
    }

    internal readonly struct UniformFloat32(Philox4x32.Counter counter, uint k0, uint k1, float scale, float shift) : IKernel<float>
    {
        public void Fill(Span<float> destination, long firstGroup)
        {
            var words = MemoryMarshal.Cast<float, uint>(destination);
            Philox4x32.FillBlocks(words, counter.Add((ulong)firstGroup), k0, k1, allowVector: true);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var mask = Vector256.Create(0x7FFFFFu);
                var step = Vector256.Create(BoxMuller.Float32Step);
                var vScale = Vector256.Create(scale);
                var vShift = Vector256.Create(shift);
                for (; i <= words.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                {
                    var u = Vector256.ConvertToSingle((Vector256.LoadUnsafe(ref words[i]) & mask).AsInt32()) * step;
                    ((u * vScale) + vShift).StoreUnsafe(ref destination[i]);
                }
            }
            for (; i < words.Length; i++)
            {
                destination[i] = (BoxMuller.Uniform32(words[i]) * scale) + shift;
            }
        }
    }

    internal readonly struct UniformFloat64(Philox4x32.Counter counter, uint k0, uint k1, double scale, double shift) : IKernel<double>
    {
        public void Fill(Span<double> destination, long firstGroup)
        {
            var words = MemoryMarshal.Cast<double, uint>(destination);
            Philox4x32.FillBlocks(words, counter.Add((ulong)firstGroup), k0, k1, allowVector: true);
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (BoxMuller.Uniform64(words[2 * i], words[(2 * i) + 1]) * scale) + shift;
            }
        }
    }

    internal readonly struct NormalFloat32(Philox4x32.Counter counter, uint k0, uint k1, float scale, float shift) : IKernel<float>
    {
        public void Fill(Span<float> destination, long firstGroup)
        {
            int whole = destination.Length & ~3;
            var words = MemoryMarshal.Cast<float, uint>(destination[..whole]);
            Philox4x32.FillBlocks(words, counter.Add((ulong)firstGroup), k0, k1, allowVector: true);
            int i = 0;
            if (GlibcFloatMath.IsVectorized512)
            {
                var vScale = Vector512.Create(scale);
                var vShift = Vector512.Create(shift);
                var evenThenOdd = Vector512.Create(0u, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
                var interleave = Vector512.Create(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
                for (; i <= whole - 16; i += 16)
                {
                    var pairs = Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref words[i]), evenThenOdd);
                    BoxMuller.Float32(pairs.GetLower(), pairs.GetUpper(), out var z0, out var z1);
                    var values = Avx512F.PermuteVar16x32(Vector512.Create(z0, z1), interleave);
                    ((values * vScale) + vShift).StoreUnsafe(ref destination[i]);
                }
            }
            if (GlibcFloatMath.IsVectorized)
            {
                var vScale = Vector256.Create(scale);
                var vShift = Vector256.Create(shift);
                var evenThenOdd = Vector256.Create(0u, 2, 4, 6, 1, 3, 5, 7);
                for (; i <= whole - 8; i += 8)
                {
                    var pairs = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref words[i]), evenThenOdd);
                    BoxMuller.Float32(pairs.GetLower(), pairs.GetUpper(), out var z0, out var z1);
                    var values = Vector256.Create(Sse.UnpackLow(z0, z1), Sse.UnpackHigh(z0, z1));
                    ((values * vScale) + vShift).StoreUnsafe(ref destination[i]);
                }
            }
            for (; i < whole; i += 2)
            {
                BoxMuller.Float32(words[i], words[i + 1], out float z0, out float z1);
                destination[i] = (z0 * scale) + shift;
                destination[i + 1] = (z1 * scale) + shift;
            }
            if (whole < destination.Length)
            {
                Span<float> last = stackalloc float[4];
                Fill(last, firstGroup + (whole / 4));
                last[..(destination.Length - whole)].CopyTo(destination[whole..]);
            }
        }
    }

    internal readonly struct NormalFloat64(Philox4x32.Counter counter, uint k0, uint k1, double scale, double shift) : IKernel<double>
    {
        public void Fill(Span<double> destination, long firstGroup)
        {
            int whole = destination.Length & ~1;
            var words = MemoryMarshal.Cast<double, uint>(destination[..whole]);
            Philox4x32.FillBlocks(words, counter.Add((ulong)firstGroup), k0, k1, allowVector: true);
            for (int i = 0; i < whole; i += 2)
            {
                int w = 2 * i;
                BoxMuller.Float64(words[w], words[w + 1], words[w + 2], words[w + 3], out double z0, out double z1);
                destination[i] = (z0 * scale) + shift;
                destination[i + 1] = (z1 * scale) + shift;
            }
            if (whole < destination.Length)
            {
                Span<double> last = stackalloc double[2];
                Fill(last, firstGroup + (whole / 2));
                destination[whole] = last[0];
            }
        }
    }

    internal readonly struct TruncatedFloat32(Philox4x32.Counter counter, uint k0, uint k1, float scale, float shift) : IKernel<float>
    {
        /// <summary>Groups the vector path draws together, one per AVX2 lane.</summary>
        private const int Lanes = 8;

        /// <summary>Candidates the vector path computes per group: the four pairs of its first two blocks.</summary>
        private const int FirstCandidates = 8;

        public void Fill(Span<float> destination, long firstGroup)
        {
            Span<float> group = stackalloc float[4];
            int g = 0;
            if (GlibcFloatMath.IsVectorized)
            {
                // Candidate i of lane j at [i · Lanes + j]; almost every group ends within its first eight.
                Span<float> candidates = stackalloc float[FirstCandidates * Lanes];
                for (; g + Lanes <= destination.Length / 4; g += Lanes)
                {
                    FirstCandidates8(firstGroup + g, candidates);
                    for (int j = 0; j < Lanes; j++)
                    {
                        int n = 0;
                        for (int i = 0; i < FirstCandidates && n < 4; i++)
                        {
                            float z = candidates[(i * Lanes) + j];
                            if (MathF.Abs(z) < TruncateBound)
                            {
                                group[n++] = z;
                            }
                        }
                        Finish(group, n, GroupStart(firstGroup + g + j).Add(2));
                        Store(group, destination.Slice((g + j) * 4, 4));
                    }
                }
            }
            for (; g * 4 < destination.Length; g++)
            {
                Finish(group, 0, GroupStart(firstGroup + g));
                Store(group, destination.Slice(g * 4, Math.Min(4, destination.Length - (g * 4))));
            }
        }

        private Philox4x32.Counter GroupStart(long g) => counter.Add((ulong)g * TruncatedSkipFloat32);

        /// <summary>Rejection of a group holding <paramref name="n"/> values so far, reading its stream from <paramref name="next"/>.</summary>
        private void Finish(Span<float> group, int n, Philox4x32.Counter next)
        {
            var stream = new WordStream(next, k0, k1);
            while (n < 4)
            {
                BoxMuller.Float32(stream.Next(), stream.Next(), out float z0, out float z1);
                if (MathF.Abs(z0) < TruncateBound)
                {
                    group[n++] = z0;
                    if (n == 4)
                    {
                        break;
                    }
                }
                if (MathF.Abs(z1) < TruncateBound)
                {
                    group[n++] = z1;
                }
            }
        }

        private void Store(ReadOnlySpan<float> group, Span<float> destination)
        {
            for (int j = 0; j < destination.Length; j++)
            {
                destination[j] = (group[j] * scale) + shift;
            }
        }

        /// <summary>The eight Box–Muller candidates of groups <paramref name="firstGroup"/> … + 7: Philox and Box–Muller in vector lanes.</summary>
        private void FirstCandidates8(long firstGroup, Span<float> candidates)
        {
            // Word w of block b of lane j at [(4b + w) · Lanes + j].
            Span<uint> words = stackalloc uint[2 * Philox4x32.WordsPerBlock * Lanes];
            for (int j = 0; j < Lanes; j++)
            {
                var first = GroupStart(firstGroup + j);
                var second = first.Add(1);
                (words[j], words[Lanes + j], words[(2 * Lanes) + j], words[(3 * Lanes) + j]) = (first.C0, first.C1, first.C2, first.C3);
                (words[(4 * Lanes) + j], words[(5 * Lanes) + j], words[(6 * Lanes) + j], words[(7 * Lanes) + j]) = (second.C0, second.C1, second.C2, second.C3);
            }
            for (int block = 0; block < 2; block++)
            {
                var w = MemoryMarshal.Cast<uint, Vector256<uint>>(words.Slice(block * 4 * Lanes, 4 * Lanes));
                Philox4x32.Block8(ref w[0], ref w[1], ref w[2], ref w[3], k0, k1);
                Pairs8(w[0], w[1], candidates[(4 * block * Lanes)..]);
                Pairs8(w[2], w[3], candidates[(((4 * block) + 2) * Lanes)..]);
            }
        }

        /// <summary>Box–Muller of eight word pairs (a[j], b[j]): z0 to the first eight places, z1 to the next eight.</summary>
        private static void Pairs8(Vector256<uint> a, Vector256<uint> b, Span<float> destination)
        {
            if (GlibcFloatMath.IsVectorized512)
            {
                BoxMuller.Float32(a, b, out var z0, out var z1);
                z0.CopyTo(destination);
                z1.CopyTo(destination[Lanes..]);
                return;
            }
            BoxMuller.Float32(a.GetLower(), b.GetLower(), out var lower0, out var lower1);
            BoxMuller.Float32(a.GetUpper(), b.GetUpper(), out var upper0, out var upper1);
            Vector256.Create(lower0, upper0).CopyTo(destination);
            Vector256.Create(lower1, upper1).CopyTo(destination[Lanes..]);
        }
    }

    internal readonly struct TruncatedFloat64(Philox4x32.Counter counter, uint k0, uint k1, double scale, double shift) : IKernel<double>
    {
        public void Fill(Span<double> destination, long firstGroup)
        {
            Span<double> group = stackalloc double[2];
            for (int start = 0; start < destination.Length; start += 2)
            {
                ulong g = (ulong)(firstGroup + (start / 2));
                var stream = new WordStream(counter.Add(g * TruncatedSkipFloat64), k0, k1);
                int n = 0;
                while (n < 2)
                {
                    BoxMuller.Float64(stream.Next(), stream.Next(), stream.Next(), stream.Next(), out double z0, out double z1);
                    if (Math.Abs(z0) < TruncateBound)
                    {
                        group[n++] = z0;
                        if (n == 2)
                        {
                            break;
                        }
                    }
                    if (Math.Abs(z1) < TruncateBound)
                    {
                        group[n++] = z1;
                    }
                }
                int count = Math.Min(2, destination.Length - start);
                for (int j = 0; j < count; j++)
                {
                    destination[start + j] = (group[j] * scale) + shift;
                }
            }
        }
    }

    /// <summary>The words of consecutive blocks, one at a time, from a starting counter.</summary>
    private struct WordStream(Philox4x32.Counter counter, uint k0, uint k1)
    {
        private Philox4x32.Counter _counter = counter;
        private Words _words;
        private int _used = Philox4x32.WordsPerBlock;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint Next()
        {
            if (_used == Philox4x32.WordsPerBlock)
            {
                Philox4x32.Block(_counter.C0, _counter.C1, _counter.C2, _counter.C3, k0, k1,
                    out _words[0], out _words[1], out _words[2], out _words[3]);
                _counter = _counter.Add(1);
                _used = 0;
            }
            return _words[_used++];
        }
    }

    [InlineArray(Philox4x32.WordsPerBlock)]
    private struct Words
    {
        private uint _element;
    }
}
