using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScottPlot;
using Spectre.Console;
using WeightInit.Keras.Diagnostics;
using WeightInit.Keras.Experiments;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using static TorchSharp.torch;

namespace WeightInit.Cli.Commands;

/// <summary>
/// <c>weightinit propagate</c>: one forward and one backward pass through a deep MLP per initializer, recording how the
/// spread of activations and gradients changes with depth.
/// </summary>
internal static class PropagateCommand
{
    /// <summary>The activations the command offers (those whose propagation the literature analyses).</summary>
    public static readonly IReadOnlyList<string> ActivationChoices = ["relu", "tanh", "sigmoid", "selu", "linear"];

    /// <summary>Share of a data set held out, as in <c>compare</c>; the batch is taken from the training part.</summary>
    private const double TestFraction = 0.2;

    /// <summary>How many layers the printed tables show at most (the JSON and the figure hold every layer).</summary>
    private const int TableColumns = 6;

    public static Command Create()
    {
        var depth = new Option<int>("--depth") { Description = "Number of Dense layers.", DefaultValueFactory = _ => 50 };
        var width = new Option<int>("--width") { Description = "Units per Dense layer.", DefaultValueFactory = _ => 256 };
        var activation = new Option<string>("--activation") { Description = "Activation of every layer: " + string.Join('|', ActivationChoices) + ".", DefaultValueFactory = _ => "relu" };
        var initializers = new Option<string>("--initializers") { Description = "Comma-separated Keras initializer names.", DefaultValueFactory = _ => string.Join(',', KerasInitializers.OriginalEight) };
        var batch = new Option<int>("--batch") { Description = "Samples in the batch.", DefaultValueFactory = _ => 512 };
        var seed = new Option<int>("--seed") { Description = "Seeds the input and (as keras.utils.set_random_seed) the initializers.", DefaultValueFactory = _ => 42 };
        var dataset = new Option<string?>("--dataset") { Description = "Feed real rows instead of standard-normal input: digits, breast-cancer, or the path of a CSV file (last column: integer label). The input width is then the feature count." };
        var output = new Option<string>("--out") { Description = "Directory for propagate.png and propagate.json.", DefaultValueFactory = _ => "weightinit-out" };
        var command = new Command("propagate", "Show how activations and gradients grow or vanish with depth under each initializer (one forward and one backward pass).")
        {
            depth, width, activation, initializers, batch, seed, dataset, output,
        };
        command.SetAction(parse => Cli.Run(() => Execute(new Settings(
            parse.GetValue(depth),
            parse.GetValue(width),
            parse.GetValue(activation)!,
            [.. parse.GetValue(initializers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            parse.GetValue(batch),
            parse.GetValue(seed),
            parse.GetValue(dataset),
            parse.GetValue(output)!))));
        return command;
    }

    private sealed record Settings(int Depth, int Width, string Activation, IReadOnlyList<string> Initializers, int Batch, int Seed,
        string? Dataset, string OutDir);

    private static int Execute(Settings settings)
    {
        Validate(settings);
        using var input = LoadInput(settings, out string source);
        string outDir = Cli.PrepareOutputDirectory(settings.OutDir, ["propagate.png", "propagate.json"]);
        int features = (int)input.shape[1];
        Console.Error.WriteLine($"{settings.Depth} × Dense({settings.Width}, {settings.Activation}), {source} input of {input.shape[0]} × {features}, loss: {SignalPropagation.LossFormula}");
        var results = new List<(string Initializer, SignalPropagationResult Result)>();
        foreach (string name in settings.Initializers)
        {
            var model = SignalPropagation.BuildMlp(features, settings.Depth, settings.Width, settings.Activation, name, settings.Seed);
            var result = SignalPropagation.Measure(model, input, ReadoutSeed(settings));
            foreach (var weight in model.Weights)
            {
                weight.Dispose();
            }
            results.Add((name, result));
            Console.Error.WriteLine($"{name}: {Describe(result)}");
        }
        PrintTables(results, settings.Depth);
        string png = Path.Combine(outDir, "propagate.png");
        string json = Path.Combine(outDir, "propagate.json");
        AtomicFile.WriteVia(png, path => SavePlot(results, settings, source, path));
        AtomicFile.WriteVia(json, path => File.WriteAllText(path, JsonSerializer.Serialize(ToJson(results, settings, source, features), Cli.Json)));
        Console.WriteLine($"Wrote {Path.GetRelativePath(Environment.CurrentDirectory, png)} and {Path.GetRelativePath(Environment.CurrentDirectory, json)}");
        return 0;
    }

    /// <summary>The readout takes the seed after the input's, so the two draws differ even when their shapes agree.</summary>
    private static long ReadoutSeed(Settings s) => s.Seed + 1L;

    /// <summary>Most floats one model's kernels, or one pass's activations, may take.</summary>
    private const double MaxFloats = 1 << 28;

    private static void Validate(Settings s)
    {
        Positive(s.Depth, "--depth");
        Positive(s.Width, "--width");
        Positive(s.Batch, "--batch");
        if (s.Seed < 0)
        {
            throw new ArgumentOutOfRangeException("--seed", s.Seed, $"--seed must be between 0 and {int.MaxValue}; received {s.Seed}.");
        }
        // One model's kernels and one pass's activations are held at once: keep each under 2^28 floats (1 GiB).
        if ((double)s.Width * s.Width * s.Depth > MaxFloats)
        {
            throw new ArgumentOutOfRangeException("--width", s.Width,
                $"--width {s.Width} × --width × --depth {s.Depth} = {(double)s.Width * s.Width * s.Depth:G3} weights; the limit is {MaxFloats:N0} (1 GiB of float32).");
        }
        if ((double)s.Batch * s.Width * s.Depth > MaxFloats)
        {
            throw new ArgumentOutOfRangeException("--batch", s.Batch,
                $"--batch {s.Batch} × --width {s.Width} × --depth {s.Depth} = {(double)s.Batch * s.Width * s.Depth:G3} activations; the limit is {MaxFloats:N0} (1 GiB of float32).");
        }
        if (!ActivationChoices.Contains(s.Activation))
        {
            throw new ArgumentException($"Unknown activation '{s.Activation}' for --activation; choose one of {string.Join(", ", ActivationChoices)}.", "--activation");
        }
        if (s.Initializers.Count == 0)
        {
            throw new ArgumentException("--initializers needs at least one initializer name.", "--initializers");
        }
        string? repeated = s.Initializers.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ArgumentException($"--initializers names '{repeated}' more than once; each initializer is one series.", "--initializers");
        }
        foreach (string name in s.Initializers)
        {
            KerasInitializers.RequireKnown(name);
        }
    }

    private static void Positive(int value, string option)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(option, value, $"{option} must be a positive integer (>= 1); received {value}.");
        }
    }

    private static Tensor LoadInput(Settings s, out string source)
    {
        if (s.Dataset is null)
        {
            source = "standard normal";
            return SignalPropagation.StandardNormalInput(s.Batch, s.Width, s.Seed);
        }
        var (train, _) = InitializerComparison.PrepareData(s.Dataset, TestFraction, s.Seed);
        int rows = Math.Min(s.Batch, train.Count);
        if (rows < s.Batch)
        {
            Console.Error.WriteLine($"{train.Name} has {train.Count} training rows; using all of them instead of --batch {s.Batch}.");
        }
        source = train.Name;
        return train.Subset([.. Enumerable.Range(0, rows)]).FeaturesTensor();
    }

    private static string Describe(SignalPropagationResult r)
    {
        var last = r.Layers[^1];
        string text = $"output std {Format(last.ActivationStd)} at layer {last.Layer}, input-gradient std {Format(r.Layers[0].InputGradientStd)} at layer 1";
        if (r.FirstNonFiniteActivationLayer is int a)
        {
            text += $"; activations overflow float32 at layer {a}";
        }
        if (r.FirstNonFiniteGradientLayer is int g)
        {
            text += $"; gradients non-finite from layer {g}";
        }
        return text;
    }

    private static void PrintTables(IReadOnlyList<(string Initializer, SignalPropagationResult Result)> results, int depth)
    {
        int[] shown = ShownLayers(depth);
        Cli.Out.Write(Table("std of layer output (forward)", results, shown, l => l.ActivationStd));
        Cli.Out.Write(Table("std of gradient w.r.t. layer input (backward)", results, shown, l => l.InputGradientStd));
    }

    /// <summary>The first layer, the last, and evenly spaced layers between them.</summary>
    internal static int[] ShownLayers(int depth)
    {
        if (depth <= TableColumns)
        {
            return [.. Enumerable.Range(1, depth)];
        }
        int step = (int)Math.Ceiling((double)depth / (TableColumns - 1));
        return [1, .. Enumerable.Range(1, TableColumns - 2).Select(k => k * step).Where(l => l < depth), depth];
    }

    private static Table Table(string title, IReadOnlyList<(string Initializer, SignalPropagationResult Result)> results, int[] shown,
        Func<LayerSignal, double> value)
    {
        var table = new Table { Title = new TableTitle(title) };
        table.AddColumn("initializer");
        foreach (int layer in shown)
        {
            table.AddColumn(new TableColumn($"layer {layer}").RightAligned());
        }
        foreach (var (name, result) in results)
        {
            table.AddRow([name, .. shown.Select(l => Format(value(result.Layers[l - 1])))]);
        }
        return table;
    }

    /// <summary>Three significant digits; NaN and infinities spelled out.</summary>
    internal static string Format(double v) => v switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        0 => "0",
        _ => v.ToString("G3", CultureInfo.InvariantCulture),
    };

    private static void SavePlot(IReadOnlyList<(string Initializer, SignalPropagationResult Result)> results, Settings s, string source, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        (string Title, Func<LayerSignal, double> Value)[] panels =
        [
            ($"Forward: std of each layer's output ({s.Depth} × Dense({s.Width}, {s.Activation}), {source} input, batch {s.Batch})",
                l => l.ActivationStd),
            ("Backward: std of ∂L/∂(layer input), L = Σ r·y with r ~ N(0, 1)", l => l.InputGradientStd),
            ("Backward: std of ∂L/∂kernel (summed over the batch)", l => l.WeightGradientStd ?? double.NaN),
        ];
        var palette = new ScottPlot.Palettes.Category10();
        var xs = Enumerable.Range(1, s.Depth).Select(l => (double)l).ToArray();
        for (int p = 0; p < panels.Length; p++)
        {
            var plot = multiplot.GetPlot(p);
            for (int i = 0; i < results.Count; i++)
            {
                var (name, result) = results[i];
                var values = result.Layers.Select(panels[p].Value).ToList();
                var line = plot.Add.Scatter(xs, [.. values.Select(Log10OrGap)]);
                line.Color = palette.GetColor(i);
                line.LineWidth = 2;
                line.MarkerSize = s.Depth <= 60 ? 6 : 0;
                line.MarkerShape = MarkerShapes[i % MarkerShapes.Length];
                line.LinePattern = i % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
                line.LegendText = name + Note(values);
            }
            plot.Title(panels[p].Title, size: 14);
            plot.YLabel("std (log scale)");
            plot.XLabel("layer");
            plot.Axes.Left.TickGenerator = LogTicks(results.SelectMany(r => r.Result.Layers.Select(panels[p].Value)).Select(Log10OrGap));
            plot.ShowLegend(Edge.Right);
            plot.Layout.Fixed(new PixelPadding(80, LegendWidth, 50, 40));
        }
        multiplot.SavePng(path, 1400, 1500);
    }

    /// <summary>Series that coincide (he_normal and he_uniform, glorot and lecun at equal widths) stay distinguishable.</summary>
    private static readonly MarkerShape[] MarkerShapes =
        [MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenCircle, MarkerShape.FilledSquare,
         MarkerShape.OpenTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenDiamond, MarkerShape.Cross, MarkerShape.Eks];

    /// <summary>Pixels right of each panel's data area for its legend; equal for every panel so the layer axes line up.</summary>
    private const int LegendWidth = 340;

    /// <summary>
    /// Ticks for an axis that holds log10 values, labelled with the values themselves. Over two decades or more the
    /// major ticks sit on powers of ten with log-spaced minor ticks; over a shorter range they fall between.
    /// </summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(IEnumerable<double> logValues)
    {
        double[] finite = [.. logValues.Where(double.IsFinite)];
        bool decades = finite.Length > 0 && finite.Max() - finite.Min() >= 2;
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = PowerOfTenLabel, IntegerTicksOnly = decades };
        if (decades)
        {
            ticks.MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator();
        }
        return ticks;
    }

    /// <summary>The label of 10^<paramref name="exponent"/>: three significant digits between 0.001 and 1000, otherwise 1e-25 or 3.2e12.</summary>
    internal static string PowerOfTenLabel(double exponent)
    {
        if (Math.Abs(exponent) < 3)
        {
            return Math.Pow(10, exponent).ToString("G3", CultureInfo.InvariantCulture);
        }
        int power = (int)Math.Floor(exponent);
        double mantissa = Math.Round(Math.Pow(10, exponent - power), 1);
        if (mantissa >= 10)
        {
            (mantissa, power) = (1, power + 1);
        }
        return mantissa.ToString("0.#", CultureInfo.InvariantCulture) + "e" + power.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Zero and non-finite values have no place on a log scale; the legend says where a line is missing and why.</summary>
    private static string Note(IReadOnlyList<double> values)
    {
        int[] nonFinite = [.. Enumerable.Range(0, values.Count).Where(i => !double.IsFinite(values[i]))];
        int zeros = values.Count(v => v == 0);
        string? nonFiniteNote = nonFinite.Length == 0 ? null
            : nonFinite.Length == nonFinite[^1] - nonFinite[0] + 1 ? $"inf/NaN at layers {nonFinite[0] + 1}–{nonFinite[^1] + 1}"
            : $"inf/NaN at {nonFinite.Length} layers";
        string? zeroNote = zeros == 0 ? null : zeros == values.Count ? "0 at every layer" : $"0 at {zeros} layers";
        string[] notes = [.. new[] { nonFiniteNote, zeroNote }.OfType<string>()];
        return notes.Length == 0 ? "" : $" ({string.Join("; ", notes)})";
    }

    private static double Log10OrGap(double v) => v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;

    private static object ToJson(IReadOnlyList<(string Initializer, SignalPropagationResult Result)> results, Settings s, string source, int features) =>
        new Dictionary<string, object?>
        {
            ["options"] = new Dictionary<string, object?>
            {
                ["depth"] = s.Depth,
                ["width"] = s.Width,
                ["activation"] = s.Activation,
                ["batch"] = s.Batch,
                ["seed"] = s.Seed,
                ["dataset"] = s.Dataset,
                ["input"] = source,
                ["input_features"] = features,
                ["bias_initializer"] = "zeros",
                ["loss"] = SignalPropagation.LossFormula,
                ["readout_seed"] = ReadoutSeed(s),
            },
            ["results"] = results.ToDictionary(r => r.Initializer, r => (object)new Dictionary<string, object?>
            {
                ["input_mean"] = r.Result.InputMean,
                ["input_std"] = r.Result.InputStd,
                ["loss"] = r.Result.Loss,
                ["first_non_finite_activation_layer"] = r.Result.FirstNonFiniteActivationLayer,
                ["first_non_finite_gradient_layer"] = r.Result.FirstNonFiniteGradientLayer,
                ["layer"] = r.Result.Layers.Select(l => l.Layer).ToArray(),
                ["activation_mean"] = r.Result.Layers.Select(l => l.ActivationMean).ToArray(),
                ["activation_std"] = r.Result.Layers.Select(l => l.ActivationStd).ToArray(),
                ["input_gradient_std"] = r.Result.Layers.Select(l => l.InputGradientStd).ToArray(),
                ["kernel_gradient_std"] = r.Result.Layers.Select(l => l.WeightGradientStd).ToArray(),
            }),
        };
}
