using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Random;
using WeightInit.Keras.Validation;
using static TorchSharp.torch;

namespace WeightInit.Cli.Commands;

/// <summary>
/// <c>weightinit check</c>: proves that weights follow their initializer's variance formula. With no arguments every
/// built-in is drawn over a matrix of shapes; with a name, that initializer; with <c>--file</c>, a saved array is
/// checked against <c>--expect</c>. <c>--backend</c> names whose draws these are: fresh draws use that backend's
/// generator, and a truncated normal is expected with the torch tail (pytorch) or exactly truncated (tensorflow).
/// Exit 0 when everything matches, 1 on a mismatch, 2 on a usage or file error.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Exit code when a tensor does not match its expected distribution.</summary>
    public const int Mismatch = 1;

    /// <summary>Seed of the fresh draws when neither <c>--seed</c> nor the config gives one.</summary>
    public const long DefaultSeed = 1234;

    /// <summary>The shapes of the matrix: dense, wide, Conv1D, Conv2D and Conv3D kernels, and a rank-1 weight.</summary>
    public static IReadOnlyList<long[]> MatrixShapes { get; } =
        [[512, 256], [64, 1000], [3, 16, 32], [3, 3, 64, 128], [3, 3, 3, 16, 32], [4096]];

    /// <summary>
    /// The initializers of the matrix: every built-in with its defaults, plus configs that reach the other branches
    /// (untruncated normal, fan_out and fan_avg modes, a non-zero mean, a gain).
    /// </summary>
    public static IReadOnlyList<(string Name, string? Config)> MatrixInitializers { get; } = BuildMatrixInitializers();

    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "A Keras initializer name to draw and check (he_normal, orthogonal, …).", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config") { Description = "The initializer's Keras config as a JSON object, e.g. '{\"stddev\": 0.1}'." };
        var shape = new Option<string?>("--shape") { Description = "Comma-separated shape in Keras layout, e.g. 512,256 or 3,3,64,128 (default: the built-in matrix of shapes)." };
        var file = new Option<string?>("--file") { Description = "A .npy file (float32 or float64) to check against --expect." };
        var expect = new Option<string?>("--expect") { Description = "The initializer the --file values should come from." };
        var fanIn = new Option<long?>("--fan-in") { Description = "Fan-in to use instead of the array's shape (with --fan-out; VarianceScaling initializers)." };
        var fanOut = new Option<long?>("--fan-out") { Description = "Fan-out to use instead of the array's shape (with --fan-in)." };
        var json = new Option<bool>("--json") { Description = "Write the results as JSON on stdout instead of tables." };
        var plot = new Option<string?>("--plot") { Description = "Directory for one PNG per initializer: measured histogram with the expected density." };
        var alpha = new Option<double>("--alpha") { Description = "Family-wise significance level of each tensor's statistical checks.", DefaultValueFactory = _ => ValidationOptions.DefaultAlpha };
        var seed = new Option<long>("--seed") { Description = "Seed of fresh draws when the config has none.", DefaultValueFactory = _ => DefaultSeed };
        var dtype = new Option<string>("--dtype") { Description = "dtype of fresh draws: float32 or float64.", DefaultValueFactory = _ => "float32" };
        var backend = BackendOption.Create();
        var command = new Command("check", "Check that weights match their initializer's expected distribution (moments, KS, bounds, orthogonality, exact values).")
        {
            name, config, shape, file, expect, fanIn, fanOut, json, plot, alpha, seed, dtype, backend,
        };
        command.SetAction(parse => Cli.Run(() => BackendOption.Apply(parse.GetValue(backend)!, () => Execute(new Request(
            parse.GetValue(name), parse.GetValue(config), parse.GetValue(shape), parse.GetValue(file), parse.GetValue(expect),
            parse.GetValue(fanIn), parse.GetValue(fanOut), parse.GetValue(json), parse.GetValue(plot), parse.GetValue(alpha),
            parse.GetValue(seed), parse.GetValue(dtype)!, KerasBackendRandom.Parse(parse.GetValue(backend)!))))));
        return command;
    }

    /// <summary>
    /// The parsed command line. <see cref="Backend"/> is passed to every draw and expectation explicitly rather than
    /// read from <see cref="KerasBackendRandom.Current"/>, so the command means the same on any thread.
    /// </summary>
    internal sealed record Request(string? Name, string? Config, string? Shape, string? File, string? Expect, long? FanIn, long? FanOut,
        bool Json, string? PlotDir, double Alpha, long Seed, string DType, RandomBackend Backend);

    /// <summary>One checked tensor: what was asked, and the report (null when the shape does not apply to the initializer).</summary>
    internal sealed record Row(string Name, string? Config, long[] Shape, ValidationReport? Report, string? Skipped);

    /// <summary>Receives each checked tensor while it is alive (for plots), with a file name stem.</summary>
    private delegate void Observer(Row row, Tensor values, string stem);

    internal static int Execute(Request request)
    {
        var options = new ValidationOptions { Alpha = request.Alpha };
        if (!(request.Alpha > 0 && request.Alpha < 1))
        {
            throw new ArgumentException($"--alpha must lie in (0, 1); received {request.Alpha.ToString(CultureInfo.InvariantCulture)}.", "--alpha");
        }
        if ((request.FanIn is null) != (request.FanOut is null))
        {
            throw new ArgumentException("--fan-in and --fan-out go together; give both or neither.", request.FanIn is null ? "--fan-in" : "--fan-out");
        }
        string? plotDir = request.PlotDir is null ? null : Cli.PrepareOutputDirectory(request.PlotDir, [], "--plot");
        Observer? plot = plotDir is null ? null : (row, values, stem) => WritePlot(plotDir, row, values, stem);
        var rows = request.File is not null ? CheckFile(request, options, plot) : CheckDraws(request, options, plot);
        if (request.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(rows, request.Alpha, request.Backend), Cli.Json));
        }
        else
        {
            PrintRows(rows, request.File is not null, request.Backend);
        }
        return rows.All(r => r.Report is null || r.Report.Passed) ? 0 : Mismatch;
    }

    private static List<Row> CheckFile(Request request, ValidationOptions options, Observer? observer)
    {
        if (request.Name is not null || request.Shape is not null)
        {
            throw new ArgumentException("--file takes no initializer argument and no --shape: the values come from the file; name the initializer with --expect.", "--file");
        }
        if (request.Expect is null)
        {
            throw new ArgumentException("--file needs --expect <name>, the initializer the values should come from.", "--expect");
        }
        Cli.RequireInputFile(request.File!, "--file");
        var expected = Configured(request.Expect, request.Config, request.Seed);
        (long, long)? fans = request.FanIn is { } fi && request.FanOut is { } fo ? (fi, fo) : null;
        using var values = Npy.Read(request.File!);
        var distribution = ExpectedDistribution.For(expected, values.shape, fans, request.Backend);
        var row = new Row(request.Expect, request.Config, values.shape, WeightValidator.Check(values, distribution, options), null);
        observer?.Invoke(row, values, Path.GetFileNameWithoutExtension(request.File!));
        return [row];
    }

    /// <summary>The named initializer with its <c>--config</c>; a random one without a seed in its config gets <paramref name="seed"/>, so draws repeat.</summary>
    private static Initializer Configured(string name, string? config, long seed)
    {
        var parsed = InitializerArguments.ParseConfig(config);
        return InitializerArguments.Build(name, parsed, InitializerArguments.IsRandom(name) && !parsed.ContainsKey("seed") ? seed : null);
    }

    private static List<Row> CheckDraws(Request request, ValidationOptions options, Observer? observer)
    {
        if (request.Expect is not null)
        {
            throw new ArgumentException("--expect names the initializer of a --file; to draw and check an initializer, give its name as the argument.", "--expect");
        }
        if (request.FanIn is not null)
        {
            throw new ArgumentException("--fan-in and --fan-out apply to --file only; a fresh draw takes its fans from --shape.", "--fan-in");
        }
        var dtype = DTypes.Parse(request.DType);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"--dtype must be float32 or float64; received {request.DType}.", "--dtype");
        }
        IReadOnlyList<(string Name, string? Config)> initializers = request.Name is null
            ? (request.Config is null ? MatrixInitializers : throw new ArgumentException("--config needs an initializer name.", "--config"))
            : [(request.Name, request.Config)];
        IReadOnlyList<long[]> shapes = request.Shape is null ? MatrixShapes : [InitializerArguments.ParseShape(request.Shape)];
        var rows = new List<Row>();
        for (int entry = 0; entry < initializers.Count; entry++)
        {
            var (name, config) = initializers[entry];
            foreach (var shape in shapes)
            {
                var initializer = Configured(name, config, request.Seed);
                ExpectedDistribution expected;
                Tensor values;
                try
                {
                    expected = ExpectedDistribution.For(initializer, shape, backend: request.Backend);
                    values = initializer.Call(shape, dtype, request.Backend);
                }
                catch (ArgumentException e) when (request.Shape is null)
                {
                    // A matrix shape the initializer refuses, as Keras does (Orthogonal at rank 1): not applicable.
                    rows.Add(new Row(name, config, shape, null, e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)));
                    continue;
                }
                using (values)
                {
                    var row = new Row(name, config, shape, WeightValidator.Check(values, expected, options), null);
                    rows.Add(row);
                    // One plot per initializer: the first shape of the list.
                    if (shape == shapes[0])
                    {
                        observer?.Invoke(row, values, $"{name}{(config is null ? "" : $"_config{entry}")}_{string.Join("x", shape)}");
                    }
                }
            }
        }
        return rows;
    }

    /// <summary>
    /// Every name the catalog accepts with the class it builds; names without a default instance (Keras's
    /// <c>get("constant")</c> fails for want of a value) are left out.
    /// </summary>
    internal static IEnumerable<(string Name, string Class)> BuiltInClasses()
    {
        foreach (string name in KerasInitializers.Names)
        {
            string? className;
            try
            {
                className = KerasInitializers.Get(name).ClassName;
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
            {
                className = null;
            }
            if (className is not null)
            {
                yield return (name, className);
            }
        }
    }

    private static List<(string Name, string? Config)> BuildMatrixInitializers()
    {
        var canonical = BuiltInClasses()
            .Where(p => p.Name == WeightInit.Keras.Naming.ToSnakeCase(p.Class))
            .Select(p => (p.Name, (string?)null))
            .ToList();
        canonical.AddRange(
        [
            ("variance_scaling", "{\"scale\": 2.0, \"mode\": \"fan_out\", \"distribution\": \"untruncated_normal\"}"),
            ("variance_scaling", "{\"scale\": 0.5, \"mode\": \"fan_avg\", \"distribution\": \"uniform\"}"),
            ("random_normal", "{\"mean\": 0.5, \"stddev\": 2.0}"),
            ("random_uniform", "{\"minval\": 1.0, \"maxval\": 3.0}"),
            ("orthogonal", "{\"gain\": 2.0}"),
        ]);
        return canonical;
    }

    private static void PrintRows(List<Row> rows, bool detailed, RandomBackend backend)
    {
        var table = new Table().AddColumns("initializer", "shape", "expected", "fans", "n", "expected std", "measured std", "checks", "result");
        foreach (var column in table.Columns.Skip(4).Take(3))
        {
            column.RightAligned();
        }
        foreach (var row in rows)
        {
            string label = Markup.Escape(row.Name + (row.Config is null ? "" : " " + row.Config));
            string shape = ExpectedDistribution.FormatShape(row.Shape);
            if (row.Report is not { } r)
            {
                table.AddRow(label, shape, "", "", "", "", "", Markup.Escape(row.Skipped ?? ""), "[grey]n/a[/]");
                continue;
            }
            string fans = r.Expected.Fans is { } f ? $"{f.FanIn}/{f.FanOut}" : "";
            string checks = string.Join(" ", r.Checks.Select(c => c.Passed ? c.Name : $"[red]{Markup.Escape(c.Name)}✗[/]"));
            table.AddRow(label, shape, Markup.Escape(r.Expected.Family.ToString()), fans, r.Measured.Count.ToString(CultureInfo.InvariantCulture),
                G(r.Expected.StdDev), G(r.Measured.StdDev), checks, r.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
        }
        Cli.Out.Write(table);
        foreach (var row in rows.Where(r => r.Report is not null && (detailed || !r.Report.Passed)))
        {
            var r = row.Report!;
            Cli.Out.MarkupLine($"[bold]{Markup.Escape(row.Name)} {ExpectedDistribution.FormatShape(row.Shape)}[/]: expected {Markup.Escape(r.Expected.Describe())}");
            foreach (var c in r.Checks)
            {
                Cli.Out.MarkupLine($"  {(c.Passed ? "[green]pass[/]" : "[red]FAIL[/]")} {Markup.Escape(c.Name)}: {Markup.Escape(c.Detail)}");
            }
        }
        int failed = rows.Count(r => r.Report is { Passed: false });
        int skipped = rows.Count(r => r.Report is null);
        string alpha = rows.FirstOrDefault(r => r.Report is not null)?.Report!.Alpha.ToString("G3", CultureInfo.InvariantCulture) ?? "";
        Cli.Out.MarkupLine(failed == 0
            ? $"[green]{rows.Count - skipped} of {rows.Count - skipped} checked tensors match[/] (backend {BackendOption.Name(backend)}; family-wise α = {alpha} per tensor{(skipped > 0 ? $"; {skipped} not applicable" : "")})."
            : $"[red]{failed} of {rows.Count - skipped} checked tensors do not match[/] (backend {BackendOption.Name(backend)}).");
    }

    private static string G(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    private static object ToJson(List<Row> rows, double alpha, RandomBackend backend) => new Dictionary<string, object?>
    {
        ["passed"] = rows.All(r => r.Report is null || r.Report.Passed),
        ["backend"] = BackendOption.Name(backend),
        ["alpha"] = alpha,
        ["results"] = rows.Select(row => row.Report is not { } r
            ? new Dictionary<string, object?> { ["initializer"] = row.Name, ["config"] = row.Config is null ? null : JsonNode.Parse(row.Config), ["shape"] = row.Shape, ["skipped"] = row.Skipped }
            : new Dictionary<string, object?>
            {
                ["initializer"] = row.Name,
                ["config"] = row.Config is null ? null : JsonNode.Parse(row.Config),
                ["shape"] = row.Shape,
                ["dtype"] = r.DType,
                ["passed"] = r.Passed,
                ["expected"] = new Dictionary<string, object?>
                {
                    ["family"] = r.Expected.Family.ToString(),
                    ["description"] = r.Expected.Describe(),
                    ["source"] = r.Expected.Source,
                    ["fan_in"] = r.Expected.Fans?.FanIn,
                    ["fan_out"] = r.Expected.Fans?.FanOut,
                    ["mean"] = r.Expected.Mean,
                    ["variance"] = r.Expected.Variance,
                    ["std"] = r.Expected.StdDev,
                    ["excess_kurtosis"] = r.Expected.ExcessKurtosis,
                    ["lower_bound"] = r.Expected.LowerBound,
                    ["upper_bound"] = r.Expected.UpperBound,
                    ["outside_probability"] = r.Expected.OutsideProbability,
                },
                ["measured"] = new Dictionary<string, object?>
                {
                    ["count"] = r.Measured.Count,
                    ["non_finite"] = r.Measured.NonFiniteCount,
                    ["mean"] = r.Measured.Mean,
                    ["variance"] = r.Measured.Variance,
                    ["std"] = r.Measured.StdDev,
                    ["min"] = r.Measured.Min,
                    ["max"] = r.Measured.Max,
                    ["skewness"] = r.Measured.Skewness,
                    ["excess_kurtosis"] = r.Measured.ExcessKurtosis,
                    ["outside_count"] = r.Measured.OutsideCount,
                    ["outside_fraction"] = r.Measured.OutsideFraction,
                },
                ["checks"] = r.Checks.Select(c => new Dictionary<string, object?>
                {
                    ["name"] = c.Name,
                    ["kind"] = c.Kind == CheckKind.Statistical ? "statistical" : "exact",
                    ["statistic"] = c.Statistic,
                    ["expected"] = c.Expected,
                    ["observed"] = c.Observed,
                    ["p_value"] = c.PValue,
                    ["threshold"] = c.Threshold,
                    ["passed"] = c.Passed,
                    ["detail"] = c.Detail,
                }).ToList(),
            }).ToList(),
    };

    private static void WritePlot(string directory, Row row, Tensor values, string stem)
    {
        string path = Path.Combine(directory, stem + ".png");
        string title = $"{row.Name} {ExpectedDistribution.FormatShape(row.Shape)}";
        AtomicFile.WriteVia(path, temporary => CheckPlot.Save(values, row.Report!, title, temporary));
        Cli.Error.MarkupLineInterpolated($"[grey]wrote {path}[/]");
    }
}
