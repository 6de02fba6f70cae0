using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace WeightInit.Keras.IO;

/// <summary>
/// NumPy <c>.npy</c> files (format 1.0, little-endian, C order), as <c>numpy.save</c> writes and <c>numpy.load</c>
/// reads them.
/// </summary>
public static class Npy
{
    private static readonly Regex DescrPattern = new(@"'descr'\s*:\s*'([^']*)'");
    private static readonly Regex FortranPattern = new(@"'fortran_order'\s*:\s*(True|False)");
    private static readonly Regex ShapePattern = new(@"'shape'\s*:\s*\(([^)]*)\)");
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>NumPy aligns the data to this many bytes after the header.</summary>
    private const int Alignment = 64;

    private static readonly (string Descr, ScalarType Type, int Size)[] Types =
    [
        ("<f4", ScalarType.Float32, 4),
        ("<f8", ScalarType.Float64, 8),
        ("<f2", ScalarType.Float16, 2),
        ("|i1", ScalarType.Int8, 1),
        ("|u1", ScalarType.Byte, 1),
        ("<i2", ScalarType.Int16, 2),
        ("<i4", ScalarType.Int32, 4),
        ("<i8", ScalarType.Int64, 8),
        ("|b1", ScalarType.Bool, 1),
    ];

    /// <summary>
    /// Writes <paramref name="tensor"/> to <paramref name="path"/> through a temporary file and a rename, so a failure
    /// leaves no half-written file. bfloat16 is widened to float32 (<c>&lt;f4</c>), since NumPy has no bfloat16.
    /// </summary>
    /// <exception cref="ArgumentException">A dtype with no NumPy counterpart here.</exception>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        using var widened = tensor.dtype == ScalarType.BFloat16 ? tensor.to(ScalarType.Float32) : tensor.alias();
        using var data = widened.cpu().contiguous();
        var entry = Types.FirstOrDefault(t => t.Type == data.dtype);
        if (entry.Descr is null)
        {
            throw new ArgumentException(
                $"Cannot write dtype {data.dtype} to .npy; supported: float32, float64, float16, bfloat16 (as float32), int8, uint8, int16, int32, int64, bool.",
                nameof(tensor));
        }
        string shape = data.shape.Length switch
        {
            0 => "()",
            1 => $"({data.shape[0]},)",
            _ => $"({string.Join(", ", data.shape)})",
        };
        string dict = $"{{'descr': '{entry.Descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (Alignment - unpadded % Alignment) % Alignment;
        string header = dict + new string(' ', padding) + "\n";
        if (header.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"The .npy header for shape {shape} is too long for format 1.0.", nameof(tensor));
        }
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
            writer.Write(Magic);
            writer.Write((byte)1);
            writer.Write((byte)0);
            writer.Write((ushort)header.Length);
            writer.Write(Encoding.ASCII.GetBytes(header));
            if (data.numel() > 0)
            {
                writer.Write(data.bytes);
            }
        });
    }

    /// <summary>
    /// Reads a <c>.npy</c> file of format 1.0 (2.0 and 3.0 headers too) holding little-endian float32, float64,
    /// float16, integer or bool data, in C or Fortran order; the tensor comes back in C order.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// Not a .npy file, an unsupported version or dtype (big-endian, objects, strings), a malformed header, a header
    /// longer than the file, or fewer or more data bytes than the shape needs; the message names the file and what is
    /// wrong.
    /// </exception>
    public static Tensor Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] file = File.ReadAllBytes(path);
        if (file.Length == 0)
        {
            throw new InvalidDataException($"{path}: the file is empty, not a .npy file.");
        }
        if (file.Length < 10 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a .npy file (the magic string \\x93NUMPY is missing).");
        }
        byte major = file[6], minor = file[7];
        long headerLength;
        int headerStart;
        if (major == 1)
        {
            headerLength = BitConverter.ToUInt16(file, 8);
            headerStart = 10;
        }
        else if (major is 2 or 3 && file.Length >= 12)
        {
            headerLength = BitConverter.ToUInt32(file, 8);
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{path}: unsupported .npy format version {major}.{minor}; supported: 1.0, 2.0, 3.0.");
        }
        if (headerStart + headerLength > file.Length)
        {
            throw new InvalidDataException($"{path}: the header claims {headerLength} bytes but the file has only {file.Length - headerStart} after the preamble.");
        }
        string header = Encoding.Latin1.GetString(file, headerStart, (int)headerLength);
        string descr = HeaderField(DescrPattern, header, "descr", path);
        bool fortran = HeaderField(FortranPattern, header, "fortran_order", path) == "True";
        string shapeText = HeaderField(ShapePattern, header, "shape", path);
        long[] shape;
        try
        {
            shape = [.. shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => long.Parse(s.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture))];
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: malformed shape '({shapeText})' in the .npy header.");
        }
        if (shape.Length > Initializers.Initializer.MaxRank)
        {
            throw new InvalidDataException(
                $"{path}: the shape has {shape.Length} dimensions; at most {Initializers.Initializer.MaxRank} are supported.");
        }
        // One-byte types have no byte order: '<i1' and '=i1' mean '|i1'.
        var entry = Types.FirstOrDefault(t => t.Descr == descr
            || (t.Size == 1 && descr.Length == 3 && t.Descr[1..] == descr[1..] && descr[0] is '<' or '=' or '|'));
        if (entry.Descr is null)
        {
            throw new InvalidDataException(
                $"{path}: unsupported dtype '{descr}'; supported: {string.Join(", ", Types.Select(t => t.Descr))} (little-endian only).");
        }
        long needed;
        try
        {
            // The engine's strides multiply the dimensions with a 0 taken as 1, so that product must fit as well.
            _ = shape.Aggregate(1L, (a, b) => checked(a * Math.Max(b, 1)));
            needed = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * entry.Size);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException(
                $"{path}: shape ({string.Join(", ", shape)}) of {descr} is too large: its size in bytes, or the product of " +
                $"its dimensions with a 0 counted as 1, exceeds {long.MaxValue}.");
        }
        int dataStart = headerStart + (int)headerLength;
        long available = file.Length - dataStart;
        if (available < needed)
        {
            throw new InvalidDataException(
                $"{path}: truncated data: shape ({string.Join(", ", shape)}) of {descr} needs {needed} bytes, the file has {available}.");
        }
        if (available > needed)
        {
            throw new InvalidDataException(
                $"{path}: {available - needed} trailing byte(s) after the data: shape ({string.Join(", ", shape)}) of {descr} needs {needed} bytes, the file has {available}.");
        }
        long[] storedShape = fortran ? [.. shape.Reverse()] : shape;
        var result = empty(storedShape, entry.Type);
        if (needed > 0)
        {
            result.bytes = file.AsSpan(dataStart, (int)needed);
        }
        if (!fortran || shape.Length < 2)
        {
            return result;
        }
        using (result)
        {
            long[] reverse = [.. Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i)];
            using var permuted = result.permute(reverse);
            return permuted.contiguous().clone();
        }
    }

    private static string HeaderField(Regex pattern, string header, string name, string path)
    {
        var match = pattern.Match(header);
        if (!match.Success)
        {
            throw new InvalidDataException($"{path}: malformed .npy header, no valid '{name}' entry: {header.TrimEnd()}");
        }
        return match.Groups[1].Value;
    }
}
