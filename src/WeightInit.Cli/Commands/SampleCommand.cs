using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Cli.Commands;

/// <summary><c>weightinit sample</c>: draws one tensor and compares its statistics with what the initializer promises.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name")
        {
            Description = "A Keras initializer name (he_normal, HeNormal, normal, …) or a registered custom name.",
        };
        var config = new Option<string?>("--config")
        {
            Description = "The initializer's config as JSON, e.g. '{\"mean\": 0.0, \"stddev\": 0.1}'.",
        };
        var shape = new Option<string>("--shape")
        {
            Description = "Comma-separated dimensions in Keras layout, e.g. 784,256; \"\" is a scalar.",
            Required = true,
        };
        var seed = new Option<long?>("--seed")
        {
            Description = "Seed the initializer as Keras's initializer(seed=N). Without it a seed is drawn as Keras draws one, and printed.",
        };
        var dtype = new Option<string>("--dtype")
        {
            Description = "float32, float64, float16 or bfloat16 (int dtypes only for zeros, ones, constant).",
            DefaultValueFactory = _ => "float32",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Write the tensor to this NumPy .npy file (bfloat16 widened to float32).",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var backend = BackendOption.Create();
        var command = new Command("sample",
            "Draw one tensor from an initializer and print its shape, dtype, fans, and expected and measured statistics.")
        {
            name, config, shape, seed, dtype, output, json, backend,
        };
        command.SetAction(parse => Cli.Run(() => BackendOption.Apply(parse.GetValue(backend)!, () => Execute(
            parse.GetValue(name)!, parse.GetValue(config), parse.GetValue(shape)!, parse.GetValue(seed),
            parse.GetValue(dtype)!, parse.GetValue(output), parse.GetValue(json)))));
        return command;
    }

    private static int Execute(string name, string? configText, string shapeText, long? seed, string dtypeName, string? output, bool json)
    {
        Cli.RequireFileName(output, "--out");
        long[] shape = InitializerArguments.ParseShape(shapeText);
        ScalarType dtype = DTypes.Parse(dtypeName);
        var initializer = InitializerArguments.Build(name, InitializerArguments.ParseConfig(configText), seed);
        using var values = initializer.Call(shape, dtype);
        var (fanIn, fanOut) = initializer is VarianceScaling vs
            ? Fans.Compute(shape, vs.InputAxes, vs.OutputAxes)
            : Fans.Compute(shape);
        var backend = KerasBackendRandom.Current;
        var expected = SampleStatistics.Expected(initializer, shape, backend);
        var measured = SampleStatistics.Measure(values);
        if (output is not null)
        {
            Npy.Write(output, values);
        }
        string? seedText = initializer is RandomInitializer r ? r.Seed.ToString() : null;
        bool drawn = initializer is RandomInitializer { InitialSeed: null };
        if (json)
        {
            var result = new JsonObject
            {
                ["initializer"] = KerasInitializers.Serialize(initializer),
                ["seed"] = initializer is RandomInitializer random
                    ? random.Seed.Value is { } v ? JsonNode.Parse(v.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(seedText)
                    : null,
                ["seed_drawn"] = drawn,
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)JsonValue.Create(d))]),
                ["dtype"] = DTypes.Name(dtype),
                ["backend"] = BackendOption.Name(backend),
                ["fan_in"] = fanIn,
                ["fan_out"] = fanOut,
                ["expected"] = expected.ToJson(),
                ["measured"] = measured.ToJson(),
                ["out"] = output is null ? null : Path.GetFullPath(output),
            };
            Console.Out.WriteLine(result.ToJsonString(Cli.Json));
            return 0;
        }
        Console.Out.WriteLine($"initializer  {KerasInitializers.ToJson(initializer)}");
        if (seedText is not null)
        {
            Console.Out.WriteLine(drawn
                ? $"seed         {seedText} (drawn as Keras draws an unseeded initializer's seed; --seed {seedText} gives these values again)"
                : $"seed         {seedText}");
        }
        Console.Out.WriteLine($"shape        ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})");
        Console.Out.WriteLine($"dtype        {DTypes.Name(dtype)}");
        Console.Out.WriteLine($"backend      {BackendOption.Name(backend)}");
        Console.Out.WriteLine($"fan_in       {fanIn}");
        Console.Out.WriteLine($"fan_out      {fanOut}");
        Console.Out.WriteLine($"{"",-12} {"expected",14} {"measured",14}");
        Console.Out.WriteLine($"{"mean",-12} {Format(expected.Mean),14} {Format(measured.Mean),14}");
        Console.Out.WriteLine($"{"std",-12} {Format(expected.Std),14} {Format(measured.Std),14}");
        Console.Out.WriteLine($"{"min",-12} {Format(expected.Min),14} {Format(measured.Min),14}");
        Console.Out.WriteLine($"{"max",-12} {Format(expected.Max),14} {Format(measured.Max),14}");
        if (expected.Note is not null)
        {
            Console.Out.WriteLine($"note         {expected.Note}");
        }
        if (output is not null)
        {
            Console.Out.WriteLine($"wrote        {Path.GetFullPath(output)}");
        }
        if (output is not null && dtype == ScalarType.BFloat16)
        {
            Console.Error.WriteLine("weightinit: note: NumPy has no bfloat16, so the .npy holds these values widened to float32; " +
                "`check --file` judges them as float32 draws, which bfloat16's rounded parameters and 7-bit uniforms are not.");
        }
        return 0;
    }

    private static string Format(double? value) =>
        value is null ? "-" : value.Value.ToString("G6", CultureInfo.InvariantCulture);
}
