using System.Text.Json;
using Spectre.Console;

namespace WeightInit.Cli.Commands;

/// <summary>What every command shares: error reporting, the stderr console, and JSON output.</summary>
internal static class Cli
{
    /// <summary>Exit code for bad input: an unknown name, a value out of range, a missing or malformed file.</summary>
    public const int InputError = 2;

    /// <summary>Progress and warnings go to stderr, so stdout holds only results (bound to the current <see cref="Console.Error"/>).</summary>
    public static IAnsiConsole Error => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Results on stdout; when stdout is not a terminal, tables get 160 columns instead of Spectre's fallback of 80.</summary>
    public static IAnsiConsole Out => CreateOut();

    /// <summary>JSON as the commands write it: indented, NaN and infinities as strings, snake_case keys from the caller.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static IAnsiConsole CreateOut()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 160;
        }
        return console;
    }

    /// <summary>Runs a command body; bad input is printed as one line on stderr (no stack trace) with exit code 2.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or JsonException or FormatException or InvalidOperationException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"weightinit: error: {e.Message}");
            return InputError;
        }
    }

    /// <summary>Writes a file through a temporary name and a rename, so a failure leaves no half-written file.</summary>
    public static void WriteAtomically(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            write(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
