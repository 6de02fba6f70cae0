using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WeightInit.Keras.Models;
using WeightInit.Keras.Saving;

namespace WeightInit.Cli.Commands;

/// <summary>
/// <c>weightinit inspect &lt;file.keras|file.h5&gt;</c>: the model summary, statistics of every weight, and for each
/// kernel the built-in initializer its statistics fit best.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A .keras archive or a legacy whole-model .h5 file (Keras 2 or 3)." };
        var command = new Command("inspect", "Show a Keras model file's layers, weight statistics, and which initializer each kernel fits best.")
        {
            file,
        };
        command.SetAction(parse => Cli.Run(() => Execute(parse.GetValue(file)!)));
        return command;
    }

    /// <summary>One row of the statistics table.</summary>
    internal sealed record Row(string Layer, string Weight, long[] Shape, WeightStats Stats, KernelFitResult? Fit);

    /// <summary>The statistics rows of a model: every weight, with a fit for rank ≥ 2 weights (kernels).</summary>
    internal static IReadOnlyList<Row> Rows(Sequential model)
    {
        var rows = new List<Row>();
        foreach (var layer in model.Layers)
        {
            for (int i = 0; i < layer.Weights.Count; i++)
            {
                using var cpu = layer.Weights[i].detach().contiguous();
                float[] values = cpu.data<float>().ToArray();
                long[] shape = cpu.shape;
                string name = layer is Dense ? (i == 0 ? "kernel" : "bias") : i.ToString(CultureInfo.InvariantCulture);
                rows.Add(new Row(layer.Name, name, shape, WeightStats.Of(values), shape.Length >= 2 ? KernelFit.Best(values, shape) : null));
            }
        }
        return rows;
    }

    private static int Execute(string path)
    {
        Cli.RequireInputFile(path, "The model file");
        var model = KerasFile.Load(path);
        model.Summary(Console.Out);
        Console.Out.Flush();
        var table = new Table().AddColumns("layer", "weight", "shape", "mean", "std", "min", "max", "excess kurtosis", "best-fitting initializer");
        foreach (var column in table.Columns.Skip(3).Take(5))
        {
            column.RightAligned();
        }
        foreach (var row in Rows(model))
        {
            string F(double v) => v.ToString("0.00000", CultureInfo.InvariantCulture);
            string fit = row.Fit switch
            {
                null => "",
                { Family: "constant" } f => f.Initializer,
                { } f => string.Create(CultureInfo.InvariantCulture,
                    $"{f.Initializer} ({f.Family}, std ratio {f.StdRatio:0.000}{(f.Consistent ? ", consistent" : ", not a close match")})"),
            };
            table.AddRow(Markup.Escape(row.Layer), row.Weight, "(" + string.Join(", ", row.Shape) + ")", F(row.Stats.Mean), F(row.Stats.Std),
                F(row.Stats.Min), F(row.Stats.Max), row.Shape.Length >= 2 ? row.Stats.ExcessKurtosis.ToString("0.000", CultureInfo.InvariantCulture) : "",
                Markup.Escape(fit));
        }
        Cli.Out.Write(table);
        return 0;
    }
}
