using System.Text;
using WeightInit.Keras.IO;

namespace WeightInit.Keras.Tests.Hardening;

/// <summary>Malformed .npy files give an InvalidDataException naming the file, never an OverflowException or a native error.</summary>
[TestOf(typeof(Npy))]
public class NpyHardeningTests
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"npy-hardening-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    /// <summary>A version-2.0 file: magic, version, a 4-byte little-endian header length, then the rest as given.</summary>
    private string WriteVersion2(string name, uint headerLength, byte[] rest)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, [.. Magic, 2, 0, .. BitConverter.GetBytes(headerLength), .. rest]);
        return path;
    }

    /// <summary>A version-1.0 file with the given header dict and data bytes.</summary>
    private string WriteVersion1(string name, string dict, byte[] data)
    {
        string path = Path.Combine(_directory, name);
        byte[] header = Encoding.ASCII.GetBytes(dict + "\n");
        File.WriteAllBytes(path, [.. Magic, 1, 0, .. BitConverter.GetBytes((ushort)header.Length), .. header, .. data]);
        return path;
    }

    [TestCase(0xFFFFFFF0u)]
    [TestCase(0x80000000u)]
    [TestCase(0xFFFFFFFFu)]
    public void Read_Version2HeaderLengthBeyondInt_IsInvalidDataNamingFile(uint headerLength)
    {
        string path = WriteVersion2("huge-header.npy", headerLength, Encoding.ASCII.GetBytes("{'descr': '<f4'}\n"));

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Is.EqualTo($"{path}: the header claims {headerLength} bytes but the file has only 17 after the preamble."));
    }

    [Test]
    public void Read_Version2HeaderLengthJustBeyondFile_IsInvalidData()
    {
        string path = WriteVersion2("short.npy", 18, Encoding.ASCII.GetBytes("{'descr': '<f4'}\n"));

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Does.StartWith($"{path}: the header claims 18 bytes"));
    }

    [Test]
    public void Read_TrailingBytes_IsInvalidDataSayingHowMany()
    {
        string path = Path.Combine(_directory, "trailing.npy");
        using (var t = tensor(new[] { 1f, 2f, 3f }))
        {
            Npy.Write(path, t);
        }
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write([0xAB, 0xCD, 0xEF]);
        }

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Is.EqualTo(
            $"{path}: 3 trailing byte(s) after the data: shape (3) of <f4 needs 12 bytes, the file has 15."));
    }

    [Test]
    public void Read_ExactData_StillReads()
    {
        string path = WriteVersion1("exact.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
            [.. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(-2f)]);

        using var t = Npy.Read(path);

        Assert.That(t.data<float>().ToArray(), Is.EqualTo(new[] { 0.5f, -2f }));
    }

    [TestCase("4611686018427387904, 4")]
    [TestCase("1152921504606846976,")]
    [TestCase("0, 10000000000, 10000000000")]
    public void Read_ShapeTooLarge_IsInvalidData(string dims)
    {
        string path = WriteVersion1("overflow.npy", $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({dims}), }}", []);
        string shown = string.Join(", ", dims.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Is.EqualTo(
            $"{path}: shape ({shown}) of <f8 is too large: its size in bytes, or the product of its dimensions with a 0 " +
            "counted as 1, exceeds 9223372036854775807."));
    }

    [Test]
    public void Read_DimensionBeyondLong_IsMalformedShape()
    {
        string path = WriteVersion1("big-dim.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", []);

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Is.EqualTo($"{path}: malformed shape '(99999999999999999999,)' in the .npy header."));
    }

    [Test]
    public void Read_MoreThan64Dimensions_IsInvalidData()
    {
        string shape = string.Join(", ", Enumerable.Repeat("1", 100));
        string path = WriteVersion1("rank100.npy", $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({shape}), }}", BitConverter.GetBytes(1f));

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Is.EqualTo($"{path}: the shape has 100 dimensions; at most 64 are supported."));
    }

    [Test]
    public void Write_EmptyPath_IsRejected()
    {
        using var values = TorchSharp.torch.ones(3);
        var ex = Assert.Throws<ArgumentException>(() => Npy.Write("", values));
        Assert.That(ex!.Message, Does.StartWith("The output path is empty"));
    }

    [Test]
    public void Write_UncreatableFile_NamesTheTargetNotTheTemporaryFile()
    {
        // /proc/self is a directory no file can be created in; the error must not show the temporary name.
        Assume.That(Directory.Exists("/proc/self"), "needs Linux's /proc");
        using var values = TorchSharp.torch.ones(3);
        var ex = Assert.Throws<IOException>(() => Npy.Write("/proc/self/x.npy", values));
        Assert.That(ex!.Message, Does.StartWith("Cannot write '/proc/self/x.npy'").And.Not.Contain(".tmp"));
    }

    [Test]
    public void WriteThenRead_RoundTripsEveryByte()
    {
        // Write streams the tensor's own bytes (no intermediate array, which capped files below 2 GiB).
        using var values = TorchSharp.torch.arange(0, 10007, dtype: TorchSharp.torch.ScalarType.Float64) / 7.0;
        string path = Path.Combine(_directory, "round.npy");
        Npy.Write(path, values);
        using var back = Npy.Read(path);
        Assert.That(back.data<double>().ToArray(), Is.EqualTo(values.data<double>().ToArray()));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(128 + (10007 * 8)));
    }

    [Test]
    public void Read_EmptyFile_SaysItIsEmpty()
    {
        string path = Path.Combine(_directory, "empty.npy");
        File.WriteAllBytes(path, []);
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(path));
        Assert.That(ex!.Message, Is.EqualTo($"{path}: the file is empty, not a .npy file."));
    }
}
