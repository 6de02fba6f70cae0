using WeightInit.Keras.Data;

namespace WeightInit.Keras.Tests;

[TestOf(typeof(Datasets))]
public class DatasetTests
{
    [Test]
    public void Digits_HasUciShape_ScaledToUnitInterval()
    {
        var digits = Datasets.Digits();
        Assert.That(digits.Count, Is.EqualTo(1797));
        Assert.That(digits.FeatureCount, Is.EqualTo(64));
        Assert.That(digits.ClassCount, Is.EqualTo(10));
        var all = digits.Features.SelectMany(r => r).ToArray();
        Assert.That(all.Min(), Is.Zero);
        Assert.That(all.Max(), Is.EqualTo(1f));
        Assert.That(Enumerable.Range(0, 10).Select(c => digits.Labels.Count(l => l == c)), Is.All.InRange(174, 183));
    }

    [Test]
    public void BreastCancer_HasUciShape()
    {
        var data = Datasets.BreastCancer();
        Assert.That(data.Count, Is.EqualTo(569));
        Assert.That(data.FeatureCount, Is.EqualTo(30));
        Assert.That(data.ClassNames, Is.EqualTo(new[] { "malignant", "benign" }));
        Assert.That(data.Labels.Count(l => l == 0), Is.EqualTo(212));
    }

    [Test]
    public void TrainTestSplit_IsStratifiedDeterministicAndDisjoint()
    {
        var digits = Datasets.Digits();
        var (train, test) = digits.TrainTestSplit(0.2, 42);
        var (train2, test2) = digits.TrainTestSplit(0.2, 42);
        Assert.That(train.Count + test.Count, Is.EqualTo(1797));
        Assert.That(test.Count, Is.InRange(355, 364));
        Assert.That(test2.Labels, Is.EqualTo(test.Labels));
        Assert.That(train2.Features[0], Is.EqualTo(train.Features[0]));
        for (int c = 0; c < 10; c++)
        {
            int inClass = digits.Labels.Count(l => l == c);
            int inTest = test.Labels.Count(l => l == c);
            Assert.That(inTest, Is.EqualTo((int)Math.Round(inClass * 0.2, MidpointRounding.AwayFromZero)), $"class {c}");
        }
        var (_, other) = digits.TrainTestSplit(0.2, 43);
        Assert.That(other.Labels, Is.Not.EqualTo(test.Labels));
    }

    [Test]
    public void LoadCsv_Missing_NamesFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Datasets.LoadCsv("/nonexistent/data.csv"));
        Assert.That(error!.Message, Does.Contain("/nonexistent/data.csv"));
    }

    [TestCase("1,2,0\n3,x,1\n", "line 2, column 2: 'x'")]
    [TestCase("1,2,0\n3,4\n", "line 2: expected 3 values")]
    [TestCase("1,2,0\n3,4,-1\n", "line 2: the label")]
    [TestCase("a,b,label\n", "no data lines")]
    [TestCase("1,2,0\n3,4,0\n", "at least two classes")]
    public void LoadCsv_Malformed_NamesFileAndLine(string content, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"weightinit-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => Datasets.LoadCsv(path));
            Assert.That(error!.Message, Does.Contain(path).And.Contain(expected));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadCsv_HeaderSkipped_LabelsFromLastColumn()
    {
        string path = Path.Combine(Path.GetTempPath(), $"weightinit-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "f1,f2,label\n0.5,1.5,1\n2,3,0\n4,5,2\n");
        try
        {
            var data = Datasets.LoadCsv(path);
            Assert.That(data.Count, Is.EqualTo(3));
            Assert.That(data.ClassCount, Is.EqualTo(3));
            Assert.That(data.Features[0], Is.EqualTo(new[] { 0.5f, 1.5f }));
            Assert.That(data.Labels, Is.EqualTo(new[] { 1, 0, 2 }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
