using System.Text;
using WeightInit.Keras.IO;

namespace WeightInit.Keras.Tests.IO;

[TestOf(typeof(Npy))]
public class NpyTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"npy-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    /// <summary>Parses a .npy file by hand: (header text, data bytes).</summary>
    private static (string Header, byte[] Data) ParseByHand(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        Assert.That(file[..6], Is.EqualTo(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }));
        Assert.That(file[6..8], Is.EqualTo(new byte[] { 1, 0 }), "format version 1.0");
        int headerLength = file[8] | (file[9] << 8);
        Assert.That((10 + headerLength) % 64, Is.EqualTo(0), "data aligned to 64 bytes, as NumPy writes it");
        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.That(header, Does.EndWith("\n"));
        return (header.TrimEnd('\n').TrimEnd(' '), file[(10 + headerLength)..]);
    }

    [Test]
    public void Write_Float32_HeaderAndLittleEndianBytes()
    {
        string path = Path.Combine(_directory, "w.npy");
        float[] values = [1.5f, -2f, 0.25f, 3f, 1e-8f, -0f];
        using var t = tensor(values).reshape(2, 3);

        Npy.Write(path, t);

        var (header, data) = ParseByHand(path);
        Assert.That(header, Is.EqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        byte[] expected = [.. values.SelectMany(v => BitConverter.GetBytes(v))];
        Assert.That(BitConverter.IsLittleEndian, Is.True);
        Assert.That(data, Is.EqualTo(expected));
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }), "no temporary file left");
    }

    [Test]
    public void Write_BFloat16_WidenedToFloat32()
    {
        string path = Path.Combine(_directory, "b.npy");
        using var t = tensor(new[] { 0.1f, 3.14159f, -7f }).to(ScalarType.BFloat16);
        using var widened = t.to(ScalarType.Float32);

        Npy.Write(path, t);

        var (header, data) = ParseByHand(path);
        Assert.That(header, Is.EqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"));
        Assert.That(data, Is.EqualTo(widened.data<float>().ToArray().SelectMany(v => BitConverter.GetBytes(v)).ToArray()));
    }

    [TestCase(ScalarType.Float32, "<f4")]
    [TestCase(ScalarType.Float64, "<f8")]
    [TestCase(ScalarType.Float16, "<f2")]
    [TestCase(ScalarType.Int32, "<i4")]
    [TestCase(ScalarType.Int64, "<i8")]
    [TestCase(ScalarType.Int8, "|i1")]
    [TestCase(ScalarType.Byte, "|u1")]
    [TestCase(ScalarType.Bool, "|b1")]
    public void WriteThenRead_RoundTripsValuesShapeAndDtype(ScalarType dtype, string descr)
    {
        string path = Path.Combine(_directory, "r.npy");
        using var t = arange(24, ScalarType.Float64).remainder(5).sub(1).reshape(2, 3, 4).to(dtype);

        Npy.Write(path, t);
        using var back = Npy.Read(path);

        Assert.That(ParseByHand(path).Header, Is.EqualTo($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (2, 3, 4), }}"));
        Assert.That(back.dtype, Is.EqualTo(dtype));
        Assert.That(back.shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(back.to(ScalarType.Float64).data<double>().ToArray(), Is.EqualTo(t.to(ScalarType.Float64).data<double>().ToArray()));
    }

    [Test]
    public void WriteThenRead_ScalarAndEmpty()
    {
        string scalar = Path.Combine(_directory, "s.npy");
        string empty = Path.Combine(_directory, "e.npy");

        Npy.Write(scalar, tensor(2.5));
        Npy.Write(empty, zeros(0, 3));

        Assert.That(ParseByHand(scalar).Header, Is.EqualTo("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"));
        Assert.That(ParseByHand(empty).Header, Is.EqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }"));
        using var s = Npy.Read(scalar);
        using var e = Npy.Read(empty);
        Assert.That(s.shape, Is.Empty);
        Assert.That(s.item<double>(), Is.EqualTo(2.5));
        Assert.That(e.shape, Is.EqualTo(new long[] { 0, 3 }));
    }

    [Test]
    public void Read_FortranOrder_ReturnsCOrder()
    {
        string path = Path.Combine(_directory, "f.npy");
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        WriteRaw(path, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", [.. new[] { 1, 4, 2, 5, 3, 6 }.SelectMany(BitConverter.GetBytes)]);

        using var t = Npy.Read(path);

        Assert.That(t.data<int>().ToArray(), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
    }

    [TestCase("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4, "unsupported dtype '>f4'")]
    [TestCase("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8, "unsupported dtype '|O'")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 8, "truncated data: shape (4) of <f4 needs 16 bytes, the file has 8")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, }", 4, "no valid 'shape' entry")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (two,), }", 4, "malformed shape '(two,)'")]
    public void Read_CorruptOrUnsupported_ThrowsNamingTheProblem(string header, int dataBytes, string expected)
    {
        string path = Path.Combine(_directory, "bad.npy");
        WriteRaw(path, header, new byte[dataBytes]);

        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(e!.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.StartWith(path));
    }

    [Test]
    public void Read_NotNpyOrUnknownVersion_Throws()
    {
        string text = Path.Combine(_directory, "text.npy");
        File.WriteAllText(text, "hello, world");
        string version = Path.Combine(_directory, "v9.npy");
        WriteRaw(version, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4], major: 9);

        Assert.That(Assert.Throws<InvalidDataException>(() => Npy.Read(text))!.Message, Does.Contain("magic string"));
        Assert.That(Assert.Throws<InvalidDataException>(() => Npy.Read(version))!.Message, Does.Contain("unsupported .npy format version 9.0"));
    }

    [Test]
    public void Write_MissingDirectory_ThrowsAndLeavesNothing()
    {
        string path = Path.Combine(_directory, "missing", "w.npy");

        Assert.Throws<DirectoryNotFoundException>(() => Npy.Write(path, ones(2)));
        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    public void Write_UnsupportedDtype_ThrowsBeforeWriting()
    {
        string path = Path.Combine(_directory, "c.npy");

        var e = Assert.Throws<ArgumentException>(() => Npy.Write(path, ones(2, ScalarType.ComplexFloat32)));

        Assert.That(e!.ParamName, Is.EqualTo("tensor"));
        Assert.That(File.Exists(path), Is.False);
    }

    private static void WriteRaw(string path, string dict, byte[] data, byte major = 1)
    {
        int padding = (64 - (10 + dict.Length + 1) % 64) % 64;
        string header = dict + new string(' ', padding) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0, (byte)header.Length, (byte)(header.Length >> 8)]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }
}
