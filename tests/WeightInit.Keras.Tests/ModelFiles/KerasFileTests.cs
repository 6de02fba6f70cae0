using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using WeightInit.Keras.IO;
using WeightInit.Keras.Models;
using WeightInit.Keras.Saving;
using static WeightInit.Keras.Tests.ModelFiles.ModelFileTestSupport;

namespace WeightInit.Keras.Tests.ModelFiles;

[TestOf(typeof(KerasFile))]
[NonParallelizable]
public class KerasFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        Naming.ClearSession();
        _dir = NewTempDirectory();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Load_WeightsBytesFlippedInsideArchive_FailsOnCrc()
    {
        string path = Path.Combine(_dir, "m.keras");
        SmallModel().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        byte[] hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
        int start = bytes.AsSpan().IndexOf(hdf5Signature);
        Assert.That(start, Is.GreaterThan(0), "the stored weights file is found in the archive");
        // Entries are stored uncompressed, so the byte after the signature block is raw HDF5 content.
        bytes[start + 64] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(error!.Message, Does.StartWith(path).And.Contain("model.weights.h5").And.Contain("CRC-32"));
    }

    [Test]
    public void SaveLoad_RoundTrip_SameConfigWeightsAndPredictions()
    {
        var model = SmallModel();
        string path = Path.Combine(_dir, "m.keras");
        using var x = torch.linspace(-1, 1, 7 * 6).reshape(7, 2, 3);

        model.Save(path);
        var loaded = KerasFile.Load(path);

        using var before = model.Predict(x);
        using var after = loaded.Predict(x);
        Assert.Multiple(() =>
        {
            Assert.That(ModelConfig.ToJson(loaded), Is.EqualTo(ModelConfig.ToJson(model)));
            Assert.That(loaded.Weights, Has.Count.EqualTo(4));
            for (int i = 0; i < 4; i++)
            {
                Assert.That(Values(loaded.Weights[i]), Is.EqualTo(Values(model.Weights[i])), $"weight {i}");
            }
            Assert.That(Values(after), Is.EqualTo(Values(before)));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "m.keras" }), "no temporary file left");
        });
    }

    [Test]
    public void Save_Archive_StoredEntriesInKerasOrderWithMetadata()
    {
        string path = Path.Combine(_dir, "m.keras");
        SmallModel().Save(path);

        using var zip = ZipFile.OpenRead(path);
        string metadata = new StreamReader(zip.GetEntry("metadata.json")!.Open()).ReadToEnd();
        Assert.Multiple(() =>
        {
            Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(new[] { "metadata.json", "config.json", "model.weights.h5" }));
            // ZIP_STORED: the compression method field (offset 10 of each central directory record) is 0.
            Assert.That(CentralDirectoryMethods(File.ReadAllBytes(path)), Is.All.EqualTo(0));
            Assert.That(metadata, Does.Match("""^\{"keras_version": "3\.16\.0", "date_saved": "\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d"\}$"""));
        });
    }

    [Test]
    public void Load_PythonArchive_ShapesValuesAndLayerTypes()
    {
        var model = KerasFile.Load(Fixture("python_dense_dropout.keras"));

        Assert.Multiple(() =>
        {
            Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "dense", "dropout", "dense_1" }));
            Assert.That(((Dropout)model.Layers[1]).Rate, Is.EqualTo(0.5));
            Assert.That(((Dense)model.Layers[2]).Activation, Is.EqualTo("softmax"));
            Assert.That(model.Weights.Select(w => w.shape), Is.EqualTo(new[] { new long[] { 8, 4 }, [4], [4, 3], [3] }));
            Assert.That(Values(model.Weights[0]), Is.EqualTo(FixtureValues(32, 0)));
            Assert.That(Values(model.Weights[1]), Is.EqualTo(FixtureValues(4, 100)));
            Assert.That(Values(model.Weights[2]), Is.EqualTo(FixtureValues(12, 200)));
            Assert.That(Values(model.Weights[3]), Is.EqualTo(FixtureValues(3, 300)));
        });
    }

    [Test]
    public void Load_PythonFlattenArchive_PredictsFlattenDenseTanh()
    {
        var model = KerasFile.Load(Fixture("python_flatten.keras"));
        using var x = torch.arange(12, dtype: ScalarType.Float32).reshape(2, 2, 3).div(10);
        using var kernel = torch.tensor(FixtureValues(12, 400), [6, 2]);
        using var bias = torch.tensor(FixtureValues(2, 500));

        using var expected = x.reshape(2, 6).matmul(kernel).add(bias).tanh();
        using var predicted = model.Predict(x);

        Assert.Multiple(() =>
        {
            Assert.That(model.Layers.Select(l => l.GetType()), Is.EqualTo(new[] { typeof(Flatten), typeof(Dense), typeof(Activation) }));
            Assert.That(Values(predicted), Is.EqualTo(Values(expected)).Within(1e-6f));
        });
    }

    [TestCase("legacy_keras3.h5")]
    [TestCase("legacy_keras2.h5")]
    public void Load_LegacyH5_SameModelAsArchive(string fixture)
    {
        var model = KerasFile.Load(Fixture(fixture));

        Assert.Multiple(() =>
        {
            Assert.That(model.Layers.Select(l => l.GetType()), Is.EqualTo(new[] { typeof(Dense), typeof(Dropout), typeof(Dense) }));
            Assert.That(model.Input.Shape, Is.EqualTo(new long[] { 8 }));
            Assert.That(Values(model.Weights[0]), Is.EqualTo(FixtureValues(32, 0)));
            Assert.That(Values(model.Weights[1]), Is.EqualTo(FixtureValues(4, 100)));
            Assert.That(Values(model.Weights[2]), Is.EqualTo(FixtureValues(12, 200)));
            Assert.That(Values(model.Weights[3]), Is.EqualTo(FixtureValues(3, 300)));
        });
    }

    [Test]
    public void SaveWeightsLoadWeights_IntoDifferentlySeededModel_CopiesEveryVariable()
    {
        var source = SmallModel();
        var target = new Sequential(new InputLayer(2, 3), new Flatten(), new Dense(5, "relu"), new Dropout(0.3), new Dense(4), new Activation("softmax"));
        string path = Path.Combine(_dir, "w.weights.h5");

        source.SaveWeights(path);
        target.LoadWeights(path);

        for (int i = 0; i < 4; i++)
        {
            Assert.That(Values(target.Weights[i]), Is.EqualTo(Values(source.Weights[i])), $"weight {i}");
        }
    }

    [Test]
    public void LoadWeights_FromPythonArchive_SetsFixtureValues()
    {
        var model = new Sequential(new InputLayer(8), new Dense(4, "relu"), new Dropout(0.5), new Dense(3, "softmax"));

        model.LoadWeights(Fixture("python_dense_dropout.keras"));

        Assert.That(Values(model.Weights[2]), Is.EqualTo(FixtureValues(12, 200)));
    }

    [Test]
    public void LoadWeights_OtherArchitecture_ThrowsAndLeavesWeightsUnchanged()
    {
        // Paths go by class name (dense, dense_1, dense_2), so the fixture's Dropout does not matter; dense_2 is missing.
        var model = new Sequential(new InputLayer(8), new Dense(4), new Dense(3), new Dense(2));
        float[] before = Values(model.Weights[0]);

        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(Fixture("python_dense_dropout.keras")));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("layer 'dense_2' expects 2 variable(s) at /layers/dense_2/vars, but the file has 0"));
            Assert.That(Values(model.Weights[0]), Is.EqualTo(before));
        });
    }

    [TestCase("m.zip")]
    [TestCase("m.h5")]
    public void Save_WrongExtension_ThrowsArgumentExceptionForPath(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => SmallModel().Save(Path.Combine(_dir, name)));
        Assert.That(e!.ParamName, Is.EqualTo("path"));
    }

    [Test]
    public void Save_UnsupportedLayer_ThrowsAndKeepsExistingFile()
    {
        string path = Path.Combine(_dir, "m.keras");
        File.WriteAllText(path, "previous");
        var model = new Sequential(new InputLayer(3), new Squash());

        Assert.Throws<NotSupportedException>(() => model.Save(path));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("previous"));
            Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void WriteAtomically_WriterFailsMidway_NoFileLeft()
    {
        string path = Path.Combine(_dir, "m.keras");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new IOException("disk full");
        }));

        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void Load_TruncatedZip_ThrowsInvalidDataNamingFile()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("python_dense_dropout.keras"));
        string path = Write("truncated.keras", bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("not a readable .keras archive"));
    }

    [Test]
    public void Load_MissingWeightsEntry_ThrowsNamingEntry()
    {
        string path = RebuildFixture("missing.keras", (name, data) => name == "model.weights.h5" ? null : data);

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("no 'model.weights.h5' entry"));
    }

    [Test]
    public void Load_WrongDatasetShape_ThrowsNamingDatasetAndShapes()
    {
        string path = Fixture("bad_shape.keras");

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("dataset /layers/dense/vars/0 has shape (4, 8); the model expects (8, 4)"));
    }

    [TestCase("../evil.json")]
    [TestCase("assets/../../evil.json")]
    [TestCase("/etc/evil")]
    [TestCase("assets\\evil")]
    [TestCase("C:evil")]
    public void Load_UnsafeEntryName_ThrowsBeforeReading(string entryName)
    {
        string path = RebuildFixture("unsafe.keras", (_, data) => data, extra: (entryName, "x"u8.ToArray()));

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain($"archive entry name '{entryName}'"));
    }

    [Test]
    public void Load_HugeDeclaredSize_ThrowsBeforeAllocating()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("python_dense_dropout.keras"));
        PatchCentralDirectorySize(bytes, "config.json", int.MaxValue);
        string path = Write("huge.keras", bytes);

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.Contain($"entry 'config.json' declares {int.MaxValue} bytes uncompressed; at most {ArchiveLimits.MaxJsonBytes} are allowed"));
    }

    [Test]
    public void Load_TooManyEntries_Throws()
    {
        string path = Path.Combine(_dir, "many.keras");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            for (int i = 0; i <= ArchiveLimits.MaxEntries; i++)
            {
                zip.CreateEntry($"assets/{i}");
            }
        }

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.Contain($"{ArchiveLimits.MaxEntries + 1} entries; at most {ArchiveLimits.MaxEntries}"));
    }

    [Test]
    public void Load_CorruptWeightsHdf5_ThrowsInvalidData()
    {
        byte[] garbage = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A, .. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))];
        string path = RebuildFixture("corrupt.keras", (name, data) => name == "model.weights.h5" ? garbage : data);

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("model.weights.h5"));
    }

    [Test]
    public void Load_TruncatedLegacyH5_ThrowsInvalidData()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("legacy_keras3.h5"));
        string path = Write("truncated.h5", bytes[..(bytes.Length / 3)]);

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.StartWith(path));
    }

    [TestCase("external_storage.weights.h5", "keeps its data in external file(s)")]
    [TestCase("external_link.weights.h5", "/layers/dense/vars")]
    public void LoadWeights_DataOutsideTheFile_RefusedWithoutOpeningOtherFiles(string fixture, string expected)
    {
        var model = new Sequential(new InputLayer(8), new Dense(4));

        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(Fixture(fixture)));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [Test]
    public void Load_WeightsOnlyFile_SaysToUseLoadWeights()
    {
        string path = Path.Combine(_dir, "w.weights.h5");
        SmallModel().SaveWeights(path);

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.Contain("weights-only file"));
    }

    [Test]
    public void Load_NeitherZipNorHdf5_Throws()
    {
        string path = Write("text.keras", "hello world"u8.ToArray());

        var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));
        Assert.That(e!.Message, Does.Contain("neither a .keras archive (zip) nor an HDF5 file"));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Copies the Python fixture's entries into a new zip, transformed (null drops an entry), plus an optional extra entry.</summary>
    private string RebuildFixture(string name, Func<string, byte[], byte[]?> transform, (string Name, byte[] Data)? extra = null)
    {
        string path = Path.Combine(_dir, name);
        using var source = ZipFile.OpenRead(Fixture("python_dense_dropout.keras"));
        using var target = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            using var ms = new MemoryStream();
            using (var s = entry.Open())
            {
                s.CopyTo(ms);
            }
            if (transform(entry.FullName, ms.ToArray()) is { } data)
            {
                using var w = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                w.Write(data);
            }
        }
        if (extra is { } e)
        {
            using var w = target.CreateEntry(e.Name, CompressionLevel.NoCompression).Open();
            w.Write(e.Data);
        }
        return path;
    }

    private const uint CentralHeaderSignature = 0x02014b50;

    private static IEnumerable<ushort> CentralDirectoryMethods(byte[] zip)
    {
        for (int i = 0; i + 46 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == CentralHeaderSignature)
            {
                yield return BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 10));
            }
        }
    }

    /// <summary>Sets the uncompressed size (offset 24) of an entry's central directory record, as a hostile archive would.</summary>
    private static void PatchCentralDirectorySize(byte[] zip, string entryName, int size)
    {
        byte[] name = Encoding.ASCII.GetBytes(entryName);
        for (int i = 0; i + 46 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == CentralHeaderSignature
                && zip.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteInt32LittleEndian(zip.AsSpan(i + 24), size);
                return;
            }
        }
        Assert.Fail($"central directory record of {entryName} not found");
    }

    /// <summary>A layer type with no Keras config.</summary>
    private sealed class Squash() : Layer(null)
    {
        public override long[] ComputeOutputShape(long[] inputShape) => inputShape;

        public override Tensor Call(Tensor inputs, bool training = false) => inputs.tanh();
    }
}
