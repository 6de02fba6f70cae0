using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using static TorchSharp.torch;

namespace WeightInit.Keras.Data;

/// <summary>A labelled table: one row of float features per sample and an integer class label 0…k−1.</summary>
public sealed class Dataset
{
    /// <summary>Creates a data set; every row must have the same width and every label must be in [0, classNames.Count).</summary>
    /// <exception cref="ArgumentException">Ragged rows, a label out of range, or rows and labels of different counts.</exception>
    public Dataset(string name, float[][] features, int[] labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (features.Length != labels.Length)
        {
            throw new ArgumentException($"{features.Length} feature rows but {labels.Length} labels.", nameof(labels));
        }
        int width = features.Length == 0 ? 0 : features[0].Length;
        for (int i = 0; i < features.Length; i++)
        {
            if (features[i].Length != width)
            {
                throw new ArgumentException($"Row {i} has {features[i].Length} features; row 0 has {width}.", nameof(features));
            }
            if (labels[i] < 0 || labels[i] >= classNames.Count)
            {
                throw new ArgumentException($"Label {labels[i]} of row {i} is outside 0..{classNames.Count - 1}.", nameof(labels));
            }
        }
        Name = name;
        Features = features;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>The data set's name.</summary>
    public string Name { get; }

    /// <summary>Feature rows.</summary>
    public IReadOnlyList<float[]> Features { get; }

    /// <summary>Class labels.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Count;

    /// <summary>Number of features per sample.</summary>
    public int FeatureCount => Count == 0 ? 0 : Features[0].Length;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The features as a float32 tensor <c>(samples, features)</c>.</summary>
    public Tensor FeaturesTensor()
    {
        var flat = new float[Count * FeatureCount];
        for (int i = 0; i < Count; i++)
        {
            Features[i].CopyTo(flat, i * FeatureCount);
        }
        return tensor(flat, [Count, FeatureCount]);
    }

    /// <summary>
    /// The labels as a tensor: int64 <c>(samples,)</c> for sparse categorical losses, or float32 <c>(samples, 1)</c>
    /// when <paramref name="binary"/> (for a sigmoid head with binary cross-entropy).
    /// </summary>
    public Tensor LabelsTensor(bool binary = false) => binary
        ? tensor(Labels.Select(l => (float)l).ToArray(), [Count, 1])
        : tensor(Labels.Select(l => (long)l).ToArray(), [(long)Count]);

    /// <summary>A data set of the given rows, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> rows) =>
        new(Name, [.. rows.Select(r => Features[r])], [.. rows.Select(r => Labels[r])], ClassNames);

    /// <summary>
    /// A deterministic stratified split: in every class, a <paramref name="testFraction"/> share of its rows (rounded)
    /// goes to the test part, chosen by a seeded shuffle; each part keeps the original row order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction outside (0, 1).</exception>
    /// <exception cref="ArgumentException">Too few rows for both parts to get at least one row.</exception>
    public (Dataset Train, Dataset Test) TrainTestSplit(double testFraction = 0.2, int seed = 42)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1); received {testFraction}.");
        }
        var groups = Enumerable.Range(0, Count).GroupBy(i => Labels[i]).OrderBy(g => g.Key)
            .Select(g => (Rows: g.ToArray(), Take: (int)Math.Round(g.Count() * testFraction, MidpointRounding.AwayFromZero)))
            .ToList();
        int testCount = groups.Sum(g => g.Take);
        if (testCount == 0 || testCount == Count)
        {
            throw new ArgumentException(
                $"The data set '{Name}' has {Count} row(s); testFraction={testFraction.ToString(CultureInfo.InvariantCulture)} would give {Count - testCount} to train " +
                $"and {testCount} to test, but both parts need at least one row.", nameof(testFraction));
        }
        var random = new System.Random(seed);
        var test = new HashSet<int>();
        foreach (var (rows, take) in groups)
        {
            random.Shuffle(rows);
            test.UnionWith(rows.Take(take));
        }
        int[] trainRows = [.. Enumerable.Range(0, Count).Where(i => !test.Contains(i))];
        int[] testRows = [.. Enumerable.Range(0, Count).Where(test.Contains)];
        random.Shuffle(trainRows);
        random.Shuffle(testRows);
        return (Subset(trainRows), Subset(testRows));
    }

    /// <summary>Per-feature mean and standard deviation (population), e.g. of a training part.</summary>
    public (float[] Mean, float[] Std) FeatureMoments()
    {
        var mean = new double[FeatureCount];
        var sq = new double[FeatureCount];
        foreach (var row in Features)
        {
            for (int j = 0; j < row.Length; j++)
            {
                mean[j] += row[j];
                sq[j] += (double)row[j] * row[j];
            }
        }
        var m = new float[FeatureCount];
        var s = new float[FeatureCount];
        for (int j = 0; j < FeatureCount; j++)
        {
            double mu = mean[j] / Count;
            m[j] = (float)mu;
            s[j] = (float)Math.Sqrt(Math.Max(0, sq[j] / Count - mu * mu));
        }
        return (m, s);
    }

    /// <summary>Features standardized as (x − mean) / std; a zero std leaves the centred value.</summary>
    public Dataset Standardize(float[] mean, float[] std) =>
        new(Name, [.. Features.Select(r => r.Select((v, j) => std[j] > 0 ? (v - mean[j]) / std[j] : v - mean[j]).ToArray())], [.. Labels], ClassNames);

    /// <summary>Features multiplied by a constant (digits: 1/16 maps pixel counts to [0, 1]).</summary>
    public Dataset Scale(float factor) =>
        new(Name, [.. Features.Select(r => r.Select(v => v * factor).ToArray())], [.. Labels], ClassNames);
}

/// <summary>Loaders for the bundled data sets and for CSV files.</summary>
public static class Datasets
{
    /// <summary>
    /// UCI "Optical Recognition of Handwritten Digits" (test part, 1,797 8×8 images, 10 classes; E. Alpaydin,
    /// C. Kaynak, 1998; CC BY 4.0), features scaled from 0..16 to [0, 1].
    /// </summary>
    public static Dataset Digits()
    {
        using var reader = OpenResource("digits.csv.gz");
        return ReadCsv(reader, "digits.csv.gz", "digits", hasHeader: false, [.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))])
            .Scale(1f / 16f);
    }

    /// <summary>
    /// UCI "Breast Cancer Wisconsin (Diagnostic)" (569 samples, 30 features; label 0 malignant, 1 benign;
    /// W. Wolberg, O. Mangasarian, N. Street, W. Street, 1995; CC BY 4.0), features unscaled.
    /// </summary>
    public static Dataset BreastCancer()
    {
        using var reader = OpenResource("breast_cancer.csv.gz");
        return ReadCsv(reader, "breast_cancer.csv.gz", "breast-cancer", hasHeader: true, ["malignant", "benign"]);
    }

    /// <summary>
    /// A CSV file (optionally gzip-compressed, by the <c>.gz</c> ending): numbers separated by commas, the last column
    /// an integer class label 0…k−1. A first line that does not parse as numbers is taken as a header.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A malformed line (the message names the file and the line), labels that are not 0…k−1 with every class present
    /// (the message names the missing classes), or a corrupt or truncated gzip file; every message names the file.
    /// </exception>
    public static Dataset LoadCsv(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Dataset file not found: {path}", path);
        }
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Decompress(path) : File.OpenRead(path);
        using var reader = new StreamReader(stream);
        return ReadCsv(reader, path, Path.GetFileNameWithoutExtension(path), hasHeader: null, classNames: null);
    }

    /// <summary>
    /// The whole decompressed content of a single-member gzip file. GZipStream reads a file cut short without complaint,
    /// so the length is checked against the size the gzip trailer records (its last 4 bytes, modulo 2³²).
    /// </summary>
    private static MemoryStream Decompress(string path)
    {
        // A gzip member: a 10-byte header starting 1F 8B, the deflate data, and an 8-byte trailer (CRC-32, size).
        const int MinimumLength = 18;
        byte[] compressed = File.ReadAllBytes(path);
        if (compressed.Length < MinimumLength || compressed[0] != 0x1F || compressed[1] != 0x8B)
        {
            throw new InvalidDataException($"{path}: not a gzip file (it does not start with the gzip signature 1F 8B, or is shorter than {MinimumLength} bytes).");
        }
        var text = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            gzip.CopyTo(text);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a valid gzip file: {e.Message}", e);
        }
        uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        if ((uint)text.Length != recorded)
        {
            throw new InvalidDataException(
                $"{path}: truncated or not a single gzip member: it decompresses to {text.Length} bytes but its trailer records {recorded}.");
        }
        text.Position = 0;
        return text;
    }

    private static StreamReader OpenResource(string file)
    {
        var stream = typeof(Datasets).Assembly.GetManifestResourceStream("WeightInit.Keras.Data." + file)
            ?? throw new InvalidOperationException($"Bundled data set {file} is missing from the assembly.");
        return new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
    }

    private static Dataset ReadCsv(TextReader reader, string source, string name, bool? hasHeader, IReadOnlyList<string>? classNames)
    {
        var features = new List<float[]>();
        var labels = new List<int>();
        int width = -1;
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string[] cells = line.Split(',');
            if (lineNumber == 1 && (hasHeader == true || (hasHeader is null && !cells.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))))
            {
                continue;
            }
            if (cells.Length < 2)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: expected at least one feature and a label, found {cells.Length} value(s).");
            }
            if (width >= 0 && cells.Length != width)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: expected {width} values like the first data line, found {cells.Length}.");
            }
            width = cells.Length;
            var row = new float[cells.Length - 1];
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out row[j]) || !float.IsFinite(row[j]))
                {
                    throw new InvalidDataException($"{source}, line {lineNumber}, column {j + 1}: '{cells[j]}' is not a finite number.");
                }
            }
            if (!int.TryParse(cells[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: the label (last column) '{cells[^1]}' is not a non-negative integer.");
            }
            features.Add(row);
            labels.Add(label);
        }
        if (labels.Count == 0)
        {
            throw new InvalidDataException($"{source}: no data lines found.");
        }
        int maxLabel = labels.Max();
        if (maxLabel == 0)
        {
            throw new InvalidDataException($"{source}: labels must cover at least two classes (0 and 1); found only 0.");
        }
        CheckEveryClassPresent(labels, maxLabel, source);
        int classes = maxLabel + 1;
        if (classNames is not null && classNames.Count != classes)
        {
            throw new InvalidDataException($"{source}: expected {classNames.Count} classes, found labels up to {classes - 1}.");
        }
        return new Dataset(name, [.. features], [.. labels],
            classNames ?? [.. Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
    }

    /// <summary>
    /// Labels must be exactly 0…k−1: a class with no rows would still get an output unit (and a label such as 2e9
    /// would ask for a layer of 2e9 units), so a gap is an error naming the first few missing classes.
    /// </summary>
    private static void CheckEveryClassPresent(List<int> labels, int maxLabel, string source)
    {
        const int MaxListed = 5;
        var present = new HashSet<int>(labels);
        long missingCount = maxLabel + 1L - present.Count;
        if (missingCount == 0)
        {
            return;
        }
        var listed = new List<int>(MaxListed);
        for (int c = 0; listed.Count < MaxListed && c < maxLabel; c++)
        {
            if (!present.Contains(c))
            {
                listed.Add(c);
            }
        }
        string more = missingCount > MaxListed ? $" and {missingCount - MaxListed} more" : "";
        throw new InvalidDataException(
            $"{source}: labels must be 0…k−1 with every class present; the largest label is {maxLabel} but " +
            $"{missingCount} class(es) have no rows: {string.Join(", ", listed)}{more}.");
    }
}
