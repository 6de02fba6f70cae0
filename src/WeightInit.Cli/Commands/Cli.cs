using System.Text.Json;
using Spectre.Console;

namespace WeightInit.Cli.Commands;

/// <summary>What every command shares: error reporting, the stderr console, and JSON output.</summary>
internal static partial class Cli
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

    /// <summary>
    /// Runs a command body; bad input is printed as one line on stderr (no stack trace) with exit code 2. So is an
    /// error the engine raises (e.g. an allocation it cannot make), reduced to its first line.
    /// </summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or JsonException or FormatException or InvalidOperationException or UnauthorizedAccessException or IOException
                                      or System.Runtime.InteropServices.ExternalException or OutOfMemoryException or NotSupportedException)
        {
            Console.Error.WriteLine($"weightinit: error: {OneLine(e)}");
            return InputError;
        }
    }

    /// <summary>
    /// An exception's message as one line for people: without .NET's "(Parameter 'x')" suffix and "Actual value was"
    /// line (the messages already name the value), and only the first line of an engine error.
    /// </summary>
    public static string OneLine(Exception e)
    {
        string[] lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? e.GetType().Name : ParameterSuffix().Replace(lines[0], "");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" \(Parameter '[^']*'\)")]
    private static partial System.Text.RegularExpressions.Regex ParameterSuffix();

    /// <summary>
    /// Makes sure <paramref name="directory"/> exists (creating it) before any work is done, so an unusable
    /// output directory (<paramref name="option"/>, <c>--out</c> by default) is reported at once, not after training.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The path is a file, one of <paramref name="outputs"/> inside it is a directory, or the directory cannot be
    /// created or written.
    /// </exception>
    public static string PrepareOutputDirectory(string directory, IReadOnlyList<string> outputs, string option = "--out")
    {
        string full = Path.GetFullPath(directory);
        if (File.Exists(full))
        {
            throw new ArgumentException($"{option} '{directory}' is a file; give a directory (it is created if missing).", option);
        }
        foreach (string output in outputs)
        {
            if (Directory.Exists(Path.Combine(full, output)))
            {
                throw new ArgumentException($"{option} '{directory}' holds a directory named '{output}' where the output file goes; move it away.", option);
            }
        }
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".weightinit-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{directory}' cannot be used as an output directory: {e.Message}", option, e);
        }
        return full;
    }

    /// <summary>Makes sure the input <paramref name="path"/> is an existing file; <paramref name="label"/> names it in the error.</summary>
    /// <exception cref="ArgumentException">The path is a directory.</exception>
    /// <exception cref="FileNotFoundException">There is nothing at the path.</exception>
    public static void RequireInputFile(string path, string label)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{label} '{path}' is a directory; give a file.", label);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No such file: '{path}'.", path);
        }
    }

    /// <summary>Rejects an empty file name given to <paramref name="option"/> before any work is done.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    public static void RequireFileName(string? path, string option)
    {
        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{option} is empty; give a file name.", option);
        }
    }
}
