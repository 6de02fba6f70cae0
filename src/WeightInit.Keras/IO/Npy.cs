using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace WeightInit.Keras.IO;

/// <summary>
/// NumPy <c>.npy</c> files (format versions 1.0 to 3.0) of little-endian float32 (<c>&lt;f4</c>) or float64
/// (<c>&lt;f8</c>) arrays, C or Fortran order. Data moves through a small buffer, never a whole managed copy.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int BufferSize = 1 << 20;

    /// <summary>Writes <paramref name="tensor"/> as a version 1.0 <c>.npy</c> file in C order.</summary>
    /// <exception cref="ArgumentException">A dtype other than float32 or float64.</exception>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        string descr = tensor.dtype switch
        {
            ScalarType.Float32 => "<f4",
            ScalarType.Float64 => "<f8",
            _ => throw new ArgumentException($"Npy.Write supports float32 and float64; received {tensor.dtype}.", nameof(tensor)),
        };
        long[] shape = tensor.shape;
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = Magic.Length + 4 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var data = tensor.detach().cpu().contiguous();
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.Write(Magic);
        stream.Write([1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        if (data.dtype == ScalarType.Float32)
        {
            WriteData<float>(stream, data);
        }
        else
        {
            WriteData<double>(stream, data);
        }
    }

    private static void WriteData<T>(Stream stream, Tensor data)
        where T : unmanaged
    {
        long n = data.numel();
        var buffer = new T[(int)Math.Min(BufferSize / Marshal.SizeOf<T>(), Math.Max(1, n))];
        var accessor = data.data<T>();
        for (long offset = 0; offset < n; offset += buffer.Length)
        {
            int length = (int)Math.Min(buffer.Length, n - offset);
            accessor.CopyTo(buffer.AsSpan(0, length), 0, offset);
            stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, length)));
        }
    }

    private static void ReadData<T>(Stream stream, Tensor result, string path, long[] shape)
        where T : unmanaged
    {
        long n = result.numel();
        var buffer = new T[(int)Math.Min(BufferSize / Marshal.SizeOf<T>(), Math.Max(1, n))];
        var accessor = result.data<T>();
        for (long offset = 0; offset < n; offset += buffer.Length)
        {
            int length = (int)Math.Min(buffer.Length, n - offset);
            var bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, length));
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            {
                throw new InvalidDataException(
                    $"'{path}' holds fewer data bytes than its shape ({string.Join(", ", shape)}) of {DTypeName(result.dtype)} needs ({n * Marshal.SizeOf<T>()}).");
            }
            accessor.CopyFrom(buffer.AsSpan(0, length), 0, offset);
        }
    }

    /// <summary>Reads a <c>.npy</c> file into a new CPU tensor.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a .npy file, a dtype other than &lt;f4 or &lt;f8, or fewer data bytes than the shape needs.</exception>
    public static Tensor Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a .npy file: it does not start with the \\x93NUMPY magic.");
        }
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            var length = new byte[2];
            stream.ReadExactly(length);
            headerLength = BitConverter.ToUInt16(length);
        }
        else if (major is 2 or 3)
        {
            var length = new byte[4];
            stream.ReadExactly(length);
            headerLength = checked((int)BitConverter.ToUInt32(length));
        }
        else
        {
            throw new InvalidDataException($"'{path}' has .npy format version {major}.{prefix[7]}; supported: 1.0, 2.0, 3.0.");
        }
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw new InvalidDataException($"'{path}' ends inside its .npy header.");
        }
        string header = Encoding.UTF8.GetString(headerBytes);
        var (dtype, fortran, shape) = ParseHeader(header, path);
        var result = empty(fortran ? [.. shape.Reverse()] : shape, dtype);
        try
        {
            if (dtype == ScalarType.Float32)
            {
                ReadData<float>(stream, result, path, shape);
            }
            else
            {
                ReadData<double>(stream, result, path, shape);
            }
            if (!fortran)
            {
                return result;
            }
            using (result)
            {
                long[] reversed = [.. Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i)];
                using var permuted = result.permute(reversed);
                return permuted.contiguous();
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static (ScalarType DType, bool Fortran, long[] Shape) ParseHeader(string header, string path)
    {
        var descr = DescrPattern().Match(header);
        var order = OrderPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
        {
            throw new InvalidDataException($"'{path}' has a malformed .npy header: {header.Trim()}");
        }
        var dtype = descr.Groups[1].Value switch
        {
            "<f4" => ScalarType.Float32,
            "<f8" => ScalarType.Float64,
            var other => throw new InvalidDataException($"'{path}' holds dtype '{other}'; supported: '<f4' (float32), '<f8' (float64)."),
        };
        long[] dims = [.. shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
                ? v
                : throw new InvalidDataException($"'{path}' has a bad dimension '{d}' in its .npy shape."))];
        return (dtype, order.Groups[1].Value == "True", dims);
    }

    private static string DTypeName(ScalarType dtype) => dtype == ScalarType.Float32 ? "float32" : "float64";

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex OrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
