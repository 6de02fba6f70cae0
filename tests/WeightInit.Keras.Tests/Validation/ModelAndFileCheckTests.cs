using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Models;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

[TestOf(typeof(WeightValidator))]
public class ModelAndFileCheckTests
{
    private const long Seed = 4242;
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("weightinit-check-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static Sequential BuildModel() => new(
        new InputLayer(784),
        new Dense(64, "relu", true, new HeNormal(Seed)),
        new Dense(10, "softmax", true, new GlorotUniform(Seed + 1)));

    [Test]
    public void CheckModel_FreshlyBuilt_EveryWeightPasses()
    {
        var model = BuildModel();

        var checks = WeightValidator.CheckModel(model);

        Assert.That(checks.Select(c => (c.Weight, c.Initializer)), Is.EqualTo(new[]
        {
            ("kernel", "HeNormal"), ("bias", "Zeros"), ("kernel", "GlorotUniform"), ("bias", "Zeros"),
        }));
        Assert.That(checks.All(c => c.Report.Passed), Is.True, string.Join("\n", checks.Select(c => c.Report.Summary)));
        // α is split over the four weights.
        Assert.That(checks[0].Report.Alpha, Is.EqualTo(ValidationOptions.DefaultAlpha / 4));
        Assert.That(checks[0].Report.Expected.Fans, Is.EqualTo(((long)784, (long)64)));
    }

    [Test]
    public void CheckModel_KernelScaledAfterBuild_FailsThatKernelOnly()
    {
        var model = BuildModel();
        var dense = (Dense)model.Layers[0];
        using (no_grad())
        {
            dense.Kernel!.mul_(Math.Sqrt(2.0));
        }

        var checks = WeightValidator.CheckModel(model);

        Assert.That(checks.Select(c => c.Report.Passed), Is.EqualTo(new[] { false, true, true, true }));
        Assert.That(checks[0].Report.Failures.Select(f => f.Name), Does.Contain("variance"));
        Assert.That(checks[0].Layer, Is.EqualTo(dense.Name));
    }

    [Test]
    public void CheckFile_SavedHeNormalKernel_PassesAndFailsWithSwappedFans()
    {
        string path = Path.Combine(_directory, "kernel.npy");
        using (var kernel = new HeNormal(Seed).Call([512, 256]))
        {
            Npy.Write(path, kernel);
        }

        var good = WeightValidator.CheckFile(path, new HeNormal());
        var swapped = WeightValidator.CheckFile(path, new HeNormal(), (256, 512));

        Assert.That(good.Passed, Is.True, good.Summary);
        Assert.That(good.Shape, Is.EqualTo(new long[] { 512, 256 }));
        Assert.That(swapped.Passed, Is.False);
        Assert.That(swapped.Summary, Does.StartWith("FAIL: variance"));
    }

    [Test]
    public void CheckFile_Missing_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => WeightValidator.CheckFile(Path.Combine(_directory, "none.npy"), new HeNormal()));
    }
}
