using WeightInit.Examples;

namespace WeightInit.Keras.Tests;

/// <summary>Every example runs in a fast mode (one epoch), so none rots.</summary>
[TestOf(typeof(Example))]
public class ExamplesTests
{
    internal static IEnumerable<Example> All() =>
        typeof(Example).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Example)) && !t.IsAbstract)
            .Select(t => (Example)Activator.CreateInstance(t)!)
            .OrderBy(e => e.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names() => All().Select(e => e.Name);

    [TestCaseSource(nameof(Names))]
    public void Example_RunsFast_AndSaysWhatToNotice(string name)
    {
        var example = All().Single(e => e.Name == name);
        var output = new StringWriter();
        example.Run(new Lab(output, epochs: 1));
        Assert.That(output.ToString(), Does.Contain("Notice: "), example.Name);
    }

    [Test]
    public void OriginalExamples_CoverTheEightInitializers()
    {
        Assert.That(All().Select(e => e.Name), Is.SupersetOf(new[]
        {
            "random-normal", "random-uniform", "glorot-uniform", "he-normal", "he-uniform", "lecun-normal", "zeros", "ones",
        }));
    }

    [Test]
    public void ZerosExample_StaysNearChance_HeNormalLearns()
    {
        var zeros = new StringWriter();
        new ZerosExample().Run(new Lab(zeros, epochs: 3));
        var he = new StringWriter();
        new HeNormalExample().Run(new Lab(he, epochs: 3));
        Assert.That(Accuracy(zeros.ToString()), Is.LessThan(0.2));
        Assert.That(Accuracy(he.ToString()), Is.GreaterThan(0.6));
    }

    [Test]
    public void SeedingExample_ShowsRepeatAdvanceAndRebuild()
    {
        var output = new StringWriter();
        new SeedingExample().Run(new Lab(output, epochs: 1));
        string[] lines = output.ToString().Split('\n');
        string Values(string prefix) => lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split(':')[1].Trim();
        Assert.That(Values("int seed 7, call 2"), Is.EqualTo(Values("int seed 7, call 1")));
        Assert.That(Values("SeedGenerator(7), call 2"), Is.Not.EqualTo(Values("SeedGenerator(7), call 1")));
        Assert.That(Values("SeedGenerator(7), call 2"), Is.EqualTo(Values("int seed 8")));
        Assert.That(Values("after SetRandomSeed(42), build 2"), Is.EqualTo(Values("after SetRandomSeed(42), build 1")));
    }

    [Test]
    public void TensorFlowBackendExample_PrintsKerasOnTensorFlowValues()
    {
        var output = new StringWriter();
        new TensorFlowBackendExample().Run(new Lab(output, epochs: 1));
        string[] lines = output.ToString().Split('\n');
        float[] Values(string backend) => [.. lines.Single(l => l.Contains($"on {backend}:", StringComparison.Ordinal)).Split(':')[1]
            .Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        // keras.initializers.HeNormal(seed=42)((3, 4))[0] with KERAS_BACKEND=tensorflow (docs/backends.md's reference vector).
        uint[] tensorflow = [0x3C708C6A, 0xBFBCEC91, 0x3DC4EF5E, 0x3F40E49F];
        Assert.That(Values("tensorflow").Select(BitConverter.SingleToUInt32Bits), Is.EqualTo(tensorflow));
        Assert.That(Values("pytorch"), Is.Not.EqualTo(Values("tensorflow")));
    }

    private static double Accuracy(string output) =>
        double.Parse(output.Split('\n').Single(l => l.StartsWith("test accuracy:", StringComparison.Ordinal))["test accuracy:".Length..],
            System.Globalization.CultureInfo.InvariantCulture);
}
