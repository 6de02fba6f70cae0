using System.Text;
using WeightInit.Keras.IO;

namespace WeightInit.Keras.Tests.Validation;

[TestOf(typeof(Npy))]
public class NpyTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("weightinit-npy-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase(ScalarType.Float32)]
    [TestCase(ScalarType.Float64)]
    public void WriteThenRead_RoundTripsValuesAndShape(ScalarType dtype)
    {
        string path = Path.Combine(_directory, "a.npy");
        using var generator = new Generator(7, CPU);
        using var original = randn([3, 5, 2], dtype, generator: generator);

        Npy.Write(path, original);
        using var read = Npy.Read(path);

        Assert.That(read.dtype, Is.EqualTo(dtype));
        Assert.That(read.shape, Is.EqualTo(new long[] { 3, 5, 2 }));
        Assert.That(read.eq(original).all().item<bool>(), Is.True);
        // Header: magic, version 1.0, and a total header size that is a multiple of 64 (the .npy alignment).
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.That((10 + headerLength) % 64, Is.Zero);
        Assert.That(bytes.Length, Is.EqualTo(10 + headerLength + 30 * (dtype == ScalarType.Float32 ? 4 : 8)));
    }

    [Test]
    public void Read_FortranOrder_GivesTheSameArray()
    {
        string path = Path.Combine(_directory, "f.npy");
        // The 2×3 array [[0, 1, 2], [3, 4, 5]] stored column by column.
        WriteRaw(path, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", [0, 3, 1, 4, 2, 5]);

        using var read = Npy.Read(path);

        Assert.That(read.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(read.reshape(-1).data<double>().ToArray(), Is.EqualTo(new double[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void Read_UnsupportedDtype_ThrowsInvalidDataNamingIt()
    {
        string path = Path.Combine(_directory, "i.npy");
        WriteRaw(path, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", []);

        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(ex!.Message, Does.Contain("'<i4'").And.Contain("'<f4'"));
    }

    [Test]
    public void Read_TruncatedData_ThrowsInvalidData()
    {
        string path = Path.Combine(_directory, "t.npy");
        WriteRaw(path, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", [1, 2]);

        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(ex!.Message, Does.Contain("fewer data bytes"));
    }

    [Test]
    public void Read_NotNpy_ThrowsInvalidData()
    {
        string path = Path.Combine(_directory, "x.npy");
        File.WriteAllText(path, "hello, not an array");

        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(path));

        Assert.That(ex!.Message, Does.Contain("not a .npy file"));
    }

    private static void WriteRaw(string path, string header, double[] data)
    {
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        string padded = header + "\n";
        stream.Write(BitConverter.GetBytes((ushort)padded.Length));
        stream.Write(Encoding.ASCII.GetBytes(padded));
        foreach (double d in data)
        {
            stream.Write(BitConverter.GetBytes(d));
        }
    }
}
