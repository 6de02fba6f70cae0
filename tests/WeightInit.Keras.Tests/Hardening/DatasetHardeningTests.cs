using System.Globalization;
using System.IO.Compression;
using System.Text;
using WeightInit.Keras.Data;

namespace WeightInit.Keras.Tests.Hardening;

/// <summary>CSV labels must be exactly 0…k−1, a corrupt .csv.gz names its file, and a split must leave both parts non-empty.</summary>
[TestOf(typeof(Datasets))]
public class DatasetHardeningTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"dataset-hardening-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public void LoadCsv_LabelGap_NamesFileMissingClassesAndRule()
    {
        string path = Write("gap.csv", "1,2,0\n3,4,5\n5,6,0\n");

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Is.EqualTo(
            $"{path}: labels must be 0…k−1 with every class present; the largest label is 5 but 4 class(es) have no rows: 1, 2, 3, 4."));
    }

    [Test]
    public void LoadCsv_HugeLabel_ListsOnlyTheFirstMissingClasses()
    {
        var content = new StringBuilder();
        for (int i = 0; i < 49; i++)
        {
            content.Append(CultureInfo.InvariantCulture, $"{i},{i % 2}\n");
        }
        content.Append("49,2000000000\n");
        string path = Write("huge.csv", content.ToString());

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        // Labels 0, 1 and 2000000000 are present: 2000000001 − 3 classes are missing.
        Assert.That(e!.Message, Is.EqualTo(
            $"{path}: labels must be 0…k−1 with every class present; the largest label is 2000000000 but " +
            "1999999998 class(es) have no rows: 2, 3, 4, 5, 6 and 1999999993 more."));
    }

    [Test]
    public void LoadCsv_LabelIntMaxValue_DoesNotOverflow()
    {
        string path = Write("max.csv", "1,0\n2,2147483647\n");

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Does.Contain("the largest label is 2147483647 but 2147483646 class(es) have no rows: 1, 2, 3, 4, 5 and 2147483641 more."));
    }

    [Test]
    public void LoadCsv_MissingClassZero_IsRejected()
    {
        string path = Write("no-zero.csv", "1,1\n2,2\n");

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Does.EndWith("the largest label is 2 but 1 class(es) have no rows: 0."));
    }

    [Test]
    public void LoadCsv_EveryClassPresent_Loads()
    {
        string path = Write("ok.csv", "1,2\n2,0\n3,1\n4,2\n");

        var data = Datasets.LoadCsv(path);

        Assert.That(data.ClassCount, Is.EqualTo(3));
        Assert.That(data.Labels, Is.EqualTo(new[] { 2, 0, 1, 2 }));
    }

    [TestCase("1,2,0\n3,4,1\n5,6,0\n7,8,1\n")]
    [TestCase("x")]
    public void LoadCsv_NotGzip_NamesFile(string content)
    {
        string path = Write("plain.csv.gz", content);

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Is.EqualTo(
            $"{path}: not a gzip file (it does not start with the gzip signature 1F 8B, or is shorter than 18 bytes)."));
    }

    // 8 bytes: only the trailer (CRC-32, size) is gone; 100 bytes: the end of the deflate data too.
    [TestCase(8)]
    [TestCase(100)]
    public void LoadCsv_TruncatedGzip_NamesFile(int cut)
    {
        string path = Path.Combine(_directory, "cut.csv.gz");
        string text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},{i % 2}\n"));
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.ASCII.GetBytes(text));
        }
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^cut]);

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Does.StartWith($"{path}: truncated or not a single gzip member: it decompresses to "));
        Assert.That(e.Message, Does.Contain("bytes but its trailer records "));
    }

    [Test]
    public void LoadCsv_CorruptGzipBody_NamesFile()
    {
        string path = Path.Combine(_directory, "corrupt.csv.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},{i % 2}\n"))));
        }
        byte[] bytes = File.ReadAllBytes(path);
        // The 10-byte gzip header stays; the deflate stream after it is overwritten with an invalid block type (0b11).
        for (int i = 10; i < bytes.Length - 8; i++)
        {
            bytes[i] = 0xFF;
        }
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Does.StartWith($"{path}: not a valid gzip file: "));
        Assert.That(e.InnerException, Is.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void LoadCsv_ValidGzip_StillLoads()
    {
        string path = Path.Combine(_directory, "good.csv.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.ASCII.GetBytes("1,2,0\n3,4,1\n"));
        }

        var data = Datasets.LoadCsv(path);

        Assert.That(data.Count, Is.EqualTo(2));
        Assert.That(data.Features[1], Is.EqualTo(new[] { 3f, 4f }));
    }

    [Test]
    public void LoadCsv_GzipWithBadRow_KeepsTheLineError()
    {
        string path = Path.Combine(_directory, "bad-row.csv.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.ASCII.GetBytes("1,2,0\n3,x,1\n"));
        }

        var e = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));

        Assert.That(e!.Message, Is.EqualTo($"{path}, line 2, column 2: 'x' is not a finite number."));
    }

    [TestCase(0.2, 2, 0)]
    [TestCase(0.5, 0, 2)]
    public void TrainTestSplit_TooFewRows_ThrowsWithCounts(double fraction, int train, int test)
    {
        var data = new Dataset("tiny", [[1f], [2f]], [0, 1], ["a", "b"]);

        var e = Assert.Throws<ArgumentException>(() => data.TrainTestSplit(fraction));

        Assert.That(e!.ParamName, Is.EqualTo("testFraction"));
        Assert.That(e.Message, Does.StartWith(
            $"The data set 'tiny' has 2 row(s); testFraction={fraction.ToString(CultureInfo.InvariantCulture)} would give {train} to train " +
            $"and {test} to test, but both parts need at least one row."));
    }

    [Test]
    public void TrainTestSplit_SmallestWorkingSplit_GivesOneRowEach()
    {
        // 0.5 of each 2-row class rounds away from zero to 1: two classes give 2 test rows of 4.
        var data = new Dataset("four", [[1f], [2f], [3f], [4f]], [0, 0, 1, 1], ["a", "b"]);

        var (train, test) = data.TrainTestSplit(0.5);

        Assert.That(train.Count, Is.EqualTo(2));
        Assert.That(test.Count, Is.EqualTo(2));
        Assert.That(test.Labels.OrderBy(l => l), Is.EqualTo(new[] { 0, 1 }));
    }
}
