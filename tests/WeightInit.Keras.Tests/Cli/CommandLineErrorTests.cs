namespace WeightInit.Keras.Tests.Cli;

/// <summary>Bad command lines: one line per error on stderr, exit code 2, nothing written, no .NET type names.</summary>
[NonParallelizable]
public class CommandLineErrorTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("weightinit-cli-errors-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase(new[] { "compare", "--epochs", "abc" }, "'abc' for option '--epochs' as expected type 'integer'")]
    [TestCase(new[] { "sample", "he_normal", "--seed", "1.5" }, "'1.5' for option '--seed' as expected type 'integer'")]
    [TestCase(new[] { "compare", "--learning-rate", "fast" }, "as expected type 'number'")]
    [TestCase(new[] { "compare", "--no-such-option" }, "--no-such-option")]
    [TestCase(new[] { "init", "model.json" }, "--output")]
    public void ParseError_ExitCode2_OneLineWithoutTypeNames(string[] args, string expected)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected));
        Assert.That(error, Does.Not.Contain("System."));
    }

    [TestCase("compare", "--epochs", "0", "epochs must be a positive integer (>= 1); received 0.")]
    [TestCase("compare", "--seed", "-1", "seed must be between 0 and 2147483647; received -1.")]
    [TestCase("compare", "--initializers", "he_normal,he_normal", "'he_normal' is listed more than once")]
    [TestCase("sample", "he_normal", "--shape", "1000000000,1000000000", "at most 268,435,456")]
    [TestCase("propagate", "--width", "100000", "the limit is 268,435,456")]
    [TestCase("propagate", "--batch", "10000000", "the limit is 268,435,456")]
    public void RangeError_ExitCode2_OneLineNamingTheLimit(params string[] argsAndMessage)
    {
        var (code, _, error) = CliRunner.Run([.. argsAndMessage[..^1], "--out", _directory]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(argsAndMessage[^1]));
        Assert.That(error, Does.Not.Contain("Actual value was").And.Not.Contain("(Parameter '"));
    }

    [Test]
    public void Compare_OutIsAFile_RefusedBeforeTraining()
    {
        string file = Path.Combine(_directory, "afile");
        File.WriteAllText(file, "x");
        var (code, stdout, error) = CliRunner.Run("compare", "--out", file);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("is a file; give a directory"));
        Assert.That(stdout, Does.Not.Contain("test accuracy"), "no model was trained");
        Assert.That(File.ReadAllText(file), Is.EqualTo("x"));
    }

    [Test]
    public void Init_MalformedConfig_NamesTheFile()
    {
        string config = Path.Combine(_directory, "bad.json");
        File.WriteAllText(config, "{\"class_name\": \"Sequential\", ");
        var (code, _, error) = CliRunner.Run("init", config, "-o", Path.Combine(_directory, "m.keras"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith($"weightinit: error: {config}: "));
        Assert.That(File.Exists(Path.Combine(_directory, "m.keras")), Is.False);
    }

    [Test]
    public void Sample_OutInMissingDirectory_NamesTheTargetNotATemporaryFile()
    {
        string target = Path.Combine(_directory, "missing", "w.npy");
        var (code, _, error) = CliRunner.Run("sample", "he_normal", "--shape", "4,4", "--seed", "1", "--out", target);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"Cannot write '{target}'").And.Contain("does not exist"));
        Assert.That(error, Does.Not.Contain(".tmp"));
    }

    [TestCase("check", "--file", "--file")]
    [TestCase("init", "", "The model config")]
    [TestCase("inspect", "", "The model file")]
    public void InputIsADirectory_OneLineSayingSo(string command, string option, string label)
    {
        string[] args = command switch
        {
            "check" => ["check", option, _directory, "--expect", "he_normal"],
            "init" => ["init", _directory, "-o", Path.Combine(_directory, "m.keras")],
            _ => ["inspect", _directory],
        };
        var (code, output, error) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"weightinit: error: {label} '{_directory}' is a directory; give a file."));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty, "nothing written");
    }
}
