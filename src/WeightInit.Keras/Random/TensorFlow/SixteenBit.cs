namespace WeightInit.Keras.Random.TensorFlow;

/// <summary>
/// TensorFlow's float16 and bfloat16 draws: uniforms from 10 (float16) or 7 (bfloat16) low mantissa bits of each
/// word; normals computed in float exactly as for float32 and rounded to the 16-bit type (to nearest, ties to even);
/// the affine step in the 16-bit type, each operation computed in float and rounded back, as Eigen does.
/// </summary>
internal static class SixteenBit
{
    /// <summary>
    /// Fills 16-bit patterns. <paramref name="a"/>, <paramref name="b"/>: (minval, maxval) for a uniform, else
    /// (mean, stddev), as Python doubles.
    /// </summary>
    public static void Fill(Span<ushort> destination, bool bfloat16, bool uniform, bool truncated, double a, double b,
        ulong key, UInt128 counter)
    {
        var standard = new float[destination.Length];
        ushort scale;
        ushort shift;
        if (uniform)
        {
            var words = new uint[destination.Length];
            Philox4x32.Fill(words, counter, key);
            for (int i = 0; i < words.Length; i++)
            {
                standard[i] = bfloat16 ? (words[i] & 0x7Fu) / 128f : (words[i] & 0x3FFu) / 1024f;
            }
            ushort lo = FromFloat((float)a, bfloat16);
            ushort hi = FromFloat((float)b, bfloat16);
            scale = FromFloat(ToFloat(hi, bfloat16) - ToFloat(lo, bfloat16), bfloat16);
            shift = lo;
        }
        else
        {
            if (truncated)
            {
                StatelessRandom.TruncatedNormal(standard, key, counter);
            }
            else
            {
                StatelessRandom.Normal(standard, key, counter);
            }
            scale = FromDouble(b, bfloat16);
            shift = FromDouble(a, bfloat16);
        }
        float s = ToFloat(scale, bfloat16);
        float t = ToFloat(shift, bfloat16);
        for (int i = 0; i < destination.Length; i++)
        {
            float x = ToFloat(FromFloat(standard[i], bfloat16), bfloat16);
            float product = ToFloat(FromFloat(x * s, bfloat16), bfloat16);
            destination[i] = FromFloat(product + t, bfloat16);
        }
    }

    /// <summary>A float rounded to the 16-bit type, to nearest with ties to even.</summary>
    public static ushort FromFloat(float value, bool bfloat16)
    {
        if (!bfloat16)
        {
            return BitConverter.HalfToUInt16Bits((Half)value);
        }
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)(bits >> 16);
    }

    /// <summary>
    /// A Python float converted as TensorFlow converts it to the 16-bit type: directly for float16 (numpy), through
    /// float32 for bfloat16.
    /// </summary>
    public static ushort FromDouble(double value, bool bfloat16) =>
        bfloat16 ? FromFloat((float)value, bfloat16: true) : BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>The exact float value of a 16-bit pattern.</summary>
    public static float ToFloat(ushort bits, bool bfloat16) =>
        bfloat16 ? BitConverter.UInt32BitsToSingle((uint)bits << 16) : (float)BitConverter.UInt16BitsToHalf(bits);
}
