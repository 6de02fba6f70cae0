using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// <c>--memory</c>: the peak memory of filling one large float32 tensor with each initializer, each fill in a fresh
/// child process. Native peak: the growth of the resident set's high-water mark (<c>VmHWM</c> in
/// <c>/proc/self/status</c>, reset just before the fill); managed: the bytes the GC saw allocated during the fill.
/// </summary>
public static class MemoryMode
{
    /// <summary>The argument that makes the program a child measuring one fill.</summary>
    public const string ChildFlag = "--memory-child";

    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    /// <summary>Columns of the filled matrix; rows follow from the size (a 1 GiB float32 tensor is 1,048,576 × 256).</summary>
    private const long Columns = 256;

    /// <summary>Prefix of a case that runs the raw engine sequence instead of the library's initializer.</summary>
    private const string EnginePrefix = "engine:";

    /// <summary>The default cases: every initializer, then Keras's one-shot truncated normal and out-of-place uniform.</summary>
    private static IEnumerable<string> DefaultCases =>
        [.. EngineSequences.Names, EnginePrefix + "he_normal", EnginePrefix + "glorot_uniform"];

    /// <summary>Runs the cases (all by default, or those named) and prints one markdown table row per fill.</summary>
    /// <returns>0, or 2 when an argument is invalid or a child failed.</returns>
    public static int Run(IReadOnlyList<string> args)
    {
        double gib = 1.0;
        var cases = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--gib")
            {
                if (i + 1 >= args.Count || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out gib) || !(gib > 0))
                {
                    Console.Error.WriteLine($"--gib needs a positive number of GiB; received '{(i + 1 < args.Count ? args[i + 1] : "")}'.");
                    return 2;
                }
                i++;
            }
            else
            {
                cases.Add(args[i]);
            }
        }
        foreach (string c in cases)
        {
            string name = c.StartsWith(EnginePrefix, StringComparison.Ordinal) ? c[EnginePrefix.Length..] : c;
            if (!EngineSequences.Names.Contains(name))
            {
                Console.Error.WriteLine($"Unknown case '{c}'; valid: {string.Join(", ", DefaultCases)} (engine: works with any name).");
                return 2;
            }
        }
        long[] shape = ShapeFor(gib);
        long tensorBytes = shape[0] * shape[1] * sizeof(float);
        Console.WriteLine($"Peak memory of one float32 fill of ({shape[0]}, {shape[1]}) = {tensorBytes / (double)MiB:F0} MiB, each in a fresh process.");
        Console.WriteLine();
        Console.WriteLine("| fill | seconds | peak native growth (MiB) | ratio to tensor | managed allocated (KiB) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        int status = 0;
        foreach (string c in cases.Count > 0 ? cases : DefaultCases)
        {
            var result = RunChild(c, gib);
            if (result is null)
            {
                status = 2;
                continue;
            }
            var r = result.Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c} | {r.Seconds:F2} | {r.PeakGrowth / (double)MiB:F0} | {r.PeakGrowth / (double)tensorBytes:F2} | {r.ManagedBytes / 1024.0:F1} |"));
        }
        return status;
    }

    /// <summary>The child: fills once and prints <c>seconds peakGrowth managedBytes</c> on one line.</summary>
    public static int Child(string caseName, double gib)
    {
        string name = caseName.StartsWith(EnginePrefix, StringComparison.Ordinal) ? caseName[EnginePrefix.Length..] : caseName;
        long[] shape = ShapeFor(gib);
        Func<Tensor> fill = name == caseName
            ? () => EngineSequences.Create(name).Call(shape)
            : EngineSequences.For(name, shape);
        using (var warm = ones(1 << 16))
        {
            // Loads the native library and starts the intra-op thread pool before the baseline is read.
            warm.add_(1.0);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Writing 5 to clear_refs resets VmHWM to the current resident set (Linux 4.0+).
        File.WriteAllText("/proc/self/clear_refs", "5");
        long before = StatusKiB("VmRSS") * 1024;
        long managedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        using var filled = fill();
        watch.Stop();
        long managed = GC.GetTotalAllocatedBytes(precise: true) - managedBefore;
        long peak = StatusKiB("VmHWM") * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:R} {peak - before} {managed}"));
        return 0;
    }

    private static long[] ShapeFor(double gib) => [(long)(gib * GiB / sizeof(float) / Columns), Columns];

    private static (double Seconds, long PeakGrowth, long ManagedBytes)? RunChild(string caseName, double gib)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MemoryMode).Assembly.Location);
        }
        start.ArgumentList.Add(ChildFlag);
        start.ArgumentList.Add(caseName);
        start.ArgumentList.Add(gib.ToString("R", CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        string[] parts = output.Trim().Split(' ');
        if (child.ExitCode != 0 || parts.Length != 3)
        {
            Console.Error.WriteLine($"The child for {caseName} failed (exit {child.ExitCode}): {output.Trim()}");
            return null;
        }
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static long StatusKiB(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
