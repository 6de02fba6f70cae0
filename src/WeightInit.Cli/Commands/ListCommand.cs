using System.CommandLine;
using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;

namespace WeightInit.Cli.Commands;

/// <summary><c>weightinit list</c>: every built-in initializer, its names, defaults and formula.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("list", "List every Keras initializer: the names get() accepts, the defaults and the formula.") { json };
        command.SetAction(parse => Cli.Run(() => Execute(parse.GetValue(json))));
        return command;
    }

    private static int Execute(bool json)
    {
        var catalog = KerasInitializers.Catalog;
        if (json)
        {
            var array = new JsonArray([.. catalog.Select(i => (JsonNode)new JsonObject
            {
                ["class_name"] = i.ClassName,
                ["names"] = new JsonArray([.. i.Names.Select(n => (JsonNode)JsonValue.Create(n))]),
                ["defaults"] = i.Defaults.DeepClone(),
                ["formula"] = i.Formula,
                ["random"] = i.IsRandom,
            })]);
            Console.Out.WriteLine(array.ToJsonString(Cli.Json));
            return 0;
        }
        foreach (var info in catalog)
        {
            Console.Out.WriteLine(info.ClassName);
            Console.Out.WriteLine($"  names:    {string.Join(", ", info.Names)}");
            Console.Out.WriteLine($"  defaults: {info.DefaultsJson}");
            Console.Out.WriteLine($"  formula:  {info.Formula}");
        }
        return 0;
    }
}
