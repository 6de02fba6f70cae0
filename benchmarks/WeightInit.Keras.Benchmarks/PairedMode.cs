using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// <c>--paired</c>: each Keras-semantics fill (and the training epoch) timed against its baseline in alternating order
/// (baseline first on even rounds, second on odd ones), on one engine thread, so that load from other processes hits
/// both sides alike. Reports the medians of wall time and of the thread's CPU time, and their ratios; for fills also
/// a <c>zero_</c> of a preallocated tensor of the same shape, timed in the same rounds (the bandwidth floor).
/// </summary>
public static partial class PairedMode
{
    /// <summary>Seconds each side should run in total, which sets the number of rounds.</summary>
    private const double BudgetSeconds = 3.0;
    private const int MinRounds = 5;
    private const int MaxRounds = 200;

    /// <summary>Linux's <c>CLOCK_THREAD_CPUTIME_ID</c>.</summary>
    private const int ThreadCpuClock = 3;

    private static readonly string[] Shapes = ["256x256", "4096x4096", "3x3x512x512"];

    /// <summary>Runs the named initializers (all by default; <c>training</c> names the epoch) and prints a table.</summary>
    /// <returns>0, or 2 for an unknown name.</returns>
    public static int Run(IReadOnlyList<string> args)
    {
        var known = EngineSequences.Names.Append("training").ToList();
        foreach (string name in args.Where(a => !known.Contains(a)))
        {
            Console.Error.WriteLine($"Unknown case '{name}'; valid: {string.Join(", ", known)}.");
            return 2;
        }
        var cases = args.Count > 0 ? args : known;
        TorchSharp.torch.set_num_threads(1);
        Console.WriteLine("Paired runs, 1 engine thread; medians over the rounds.");
        Console.WriteLine();
        Console.WriteLine("| case | shape | rounds | baseline wall | Keras wall | **wall ratio** | baseline CPU | Keras CPU | **CPU ratio** | zero_ CPU / baseline CPU |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string name in cases.Where(c => c != "training"))
        {
            foreach (string shapeText in Shapes)
            {
                long[] shape = EngineSequences.ParseShape(shapeText);
                EngineSequences.RequireBitIdentical(name, shape);
                var initializer = EngineSequences.Create(name);
                var engine = EngineSequences.For(name, shape);
                using var target = TorchSharp.torch.ones(shape);
                var m = Measure(() => engine().Dispose(), () => initializer.Call(shape).Dispose(), () => target.zero_());
                Print(name, shapeText.Replace('x', '×'), m);
            }
        }
        if (cases.Contains("training"))
        {
            var training = new TrainingBenchmarks();
            training.Setup();
            Print("training epoch", "digits", Measure(() => training.RawLoop(), () => training.KerasFit()));
        }
        return 0;
    }

    private static void Print(string name, string shape, Measurement m) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {shape} | {m.Rounds} | {Format(m.BaselineWall)} | {Format(m.CandidateWall)} | **{m.CandidateWall / m.BaselineWall:F2}** | {Format(m.BaselineCpu)} | {Format(m.CandidateCpu)} | **{m.CandidateCpu / m.BaselineCpu:F2}** | {(m.FloorCpu is { } f ? (f / m.BaselineCpu).ToString("F3", CultureInfo.InvariantCulture) : "")} |"));

    private static Measurement Measure(Action baseline, Action candidate, Action? floor = null)
    {
        baseline();
        candidate();
        var watch = Stopwatch.StartNew();
        baseline();
        double estimate = Math.Max(watch.Elapsed.TotalSeconds, 1e-6);
        int rounds = (int)Math.Clamp(Math.Ceiling(BudgetSeconds / estimate), MinRounds, MaxRounds);
        var times = new List<double>[6];
        for (int i = 0; i < times.Length; i++)
        {
            times[i] = new List<double>(rounds);
        }
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0)
            {
                Time(baseline, times[0], times[1]);
                Time(candidate, times[2], times[3]);
            }
            else
            {
                Time(candidate, times[2], times[3]);
                Time(baseline, times[0], times[1]);
            }
            if (floor is not null)
            {
                Time(floor, times[4], times[5]);
            }
        }
        return new Measurement(rounds, Median(times[0]), Median(times[2]), Median(times[1]), Median(times[3]),
            floor is null ? null : Median(times[5]));
    }

    private static void Time(Action action, List<double> wall, List<double> cpu)
    {
        double cpuStart = ThreadCpuSeconds();
        long start = Stopwatch.GetTimestamp();
        action();
        wall.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        cpu.Add(ThreadCpuSeconds() - cpuStart);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static string Format(double seconds) => seconds switch
    {
        >= 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F2} s"),
        >= 1e-3 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F1} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F0} µs"),
    };

    private static double ThreadCpuSeconds()
    {
        if (ClockGetTime(ThreadCpuClock, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }
        return ts.Seconds + (ts.Nanoseconds * 1e-9);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private readonly record struct Measurement(int Rounds, double BaselineWall, double CandidateWall, double BaselineCpu,
        double CandidateCpu, double? FloorCpu);
}
