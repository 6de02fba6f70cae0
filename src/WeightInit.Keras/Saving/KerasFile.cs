using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using WeightInit.Keras.IO;
using WeightInit.Keras.Models;
using WeightInit.Keras.Serialization;

namespace WeightInit.Keras.Saving;

/// <summary>
/// Keras model files: <c>.keras</c> archives (save and load), <c>*.weights.h5</c> weights files (save and load), and
/// legacy whole-model <c>.h5</c> files from Keras 2 and Keras 3 (load).
/// </summary>
/// <remarks>
/// An archive is a zip stored without compression holding <c>metadata.json</c>, <c>config.json</c> (the model's
/// <see cref="ModelConfig"/>) and <c>model.weights.h5</c> (variables by position under
/// <c>/layers/&lt;class name&gt;/vars</c>), which Python Keras 3 loads with <c>keras.saving.load_model</c>.
/// Files are written to a temporary name next to the target and renamed, so a failure never leaves a half-written
/// file. Reading checks entry count, names and sizes before reading data; every malformed, truncated or oversized
/// file gives an <see cref="InvalidDataException"/> that names the file and the problem.
/// </remarks>
public static class KerasFile
{
    /// <summary>The Keras version written to <c>metadata.json</c>: the format this library follows.</summary>
    public const string FormatKerasVersion = "3.16.0";

    private const string MetadataEntry = "metadata.json";
    private const string ConfigEntry = "config.json";
    private const string WeightsEntry = "model.weights.h5";

    /// <summary>Keras's <c>model.save(path)</c>: writes a <c>.keras</c> archive.</summary>
    /// <exception cref="ArgumentException">The path does not end in <c>.keras</c>.</exception>
    /// <exception cref="NotSupportedException">The model holds a layer type with no Keras config.</exception>
    public static void Save(this Sequential model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        RequireSuffix(path, ".keras");
        string config = ModelConfig.ToJson(model);
        string metadata = PythonJson.Dumps(new JsonObject
        {
            ["keras_version"] = FormatKerasVersion,
            ["date_saved"] = DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture),
        });
        using var weights = new MemoryStream();
        WeightsH5.Write(model, weights);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, MetadataEntry, Encoding.UTF8.GetBytes(metadata));
            WriteEntry(zip, ConfigEntry, Encoding.UTF8.GetBytes(config));
            WriteEntry(zip, WeightsEntry, weights.ToArray());
        });
    }

    /// <summary>
    /// Keras's <c>load_model</c>: a <c>.keras</c> archive (written by Python Keras 3 or by this library) or a legacy
    /// whole-model <c>.h5</c> file; the kind is taken from the file's first bytes, not its name.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Neither kind, or a corrupt, truncated, oversized or unsupported file; the message names the file and the problem.</exception>
    public static Sequential Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Sniff(path) switch
        {
            FileKind.Zip => LoadArchive(path),
            FileKind.Hdf5 => LegacyH5.Load(path),
            _ => throw new InvalidDataException($"{path}: neither a .keras archive (zip) nor an HDF5 file."),
        };
    }

    /// <summary>
    /// A model's Keras config as text: the <c>config.json</c> of a <c>.keras</c> archive, or a JSON config file (as
    /// <c>model.to_json()</c> writes it), told apart by the first bytes; the archive's size limits apply to both.
    /// Used to rebuild a model from its config without its weights.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A corrupt or oversized archive, or a config file over the size limit.</exception>
    public static string ReadConfig(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Sniff(path) == FileKind.Zip)
        {
            using var zip = OpenArchive(path);
            return Encoding.UTF8.GetString(ReadEntry(zip, path, ConfigEntry, ArchiveLimits.MaxJsonBytes));
        }
        long length = new FileInfo(path).Length;
        if (length > ArchiveLimits.MaxJsonBytes)
        {
            throw new InvalidDataException($"{path}: {length} bytes; a config file may hold at most {ArchiveLimits.MaxJsonBytes}.");
        }
        return File.ReadAllText(path);
    }

    /// <summary>Keras's <c>save_weights(path)</c>: the weights file alone, same layout as inside an archive.</summary>
    /// <exception cref="ArgumentException">The path does not end in <c>.weights.h5</c>.</exception>
    public static void SaveWeights(this Sequential model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        RequireSuffix(path, ".weights.h5");
        using var weights = new MemoryStream();
        WeightsH5.Write(model, weights);
        AtomicFile.Write(path, stream => weights.WriteTo(stream));
    }

    /// <summary>
    /// Keras's <c>load_weights(path)</c> from a <c>*.weights.h5</c> file or a <c>.keras</c> archive: every variable
    /// must be present with the model's shape, or nothing is changed.
    /// </summary>
    /// <exception cref="ArgumentException">The path ends in neither <c>.weights.h5</c> nor <c>.keras</c>.</exception>
    /// <exception cref="InvalidDataException">A missing, mis-shaped or unreadable variable; the message names the file and the dataset.</exception>
    public static void LoadWeights(this Sequential model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".keras", StringComparison.Ordinal))
        {
            using var zip = OpenArchive(path);
            using var weights = new MemoryStream(ReadEntry(zip, path, WeightsEntry, ArchiveLimits.MaxWeightsBytes));
            WeightsH5.Read(model, weights, $"{path} ({WeightsEntry})");
            return;
        }
        RequireSuffix(path, ".weights.h5");
        using var file = File.OpenRead(path);
        WeightsH5.Read(model, file, path);
    }

    private static Sequential LoadArchive(string path)
    {
        using var zip = OpenArchive(path);
        if (zip.GetEntry(WeightsEntry) is null && zip.GetEntry("model.weights.npz") is not null)
        {
            throw new InvalidDataException($"{path}: weights are stored as model.weights.npz; only model.weights.h5 is supported.");
        }
        string config = Encoding.UTF8.GetString(ReadEntry(zip, path, ConfigEntry, ArchiveLimits.MaxJsonBytes));
        byte[] weightsBytes = ReadEntry(zip, path, WeightsEntry, ArchiveLimits.MaxWeightsBytes);
        Sequential model;
        try
        {
            model = ModelConfig.FromJson(config);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path} ({ConfigEntry}): {e.Message}", e);
        }
        using var weights = new MemoryStream(weightsBytes);
        WeightsH5.Read(model, weights, $"{path} ({WeightsEntry})");
        return model;
    }

    /// <summary>Opens a zip and checks its entry count and names before anything is read.</summary>
    internal static ZipArchive OpenArchive(string path)
    {
        var stream = File.OpenRead(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: not a readable .keras archive (zip): {e.Message}", e);
        }
        try
        {
            if (zip.Entries.Count > ArchiveLimits.MaxEntries)
            {
                throw new InvalidDataException(
                    $"{path}: the archive has {zip.Entries.Count} entries; at most {ArchiveLimits.MaxEntries} are allowed.");
            }
            foreach (var entry in zip.Entries)
            {
                CheckEntryName(path, entry.FullName);
            }
        }
        catch
        {
            zip.Dispose();
            throw;
        }
        return zip;
    }

    /// <summary>Rejects names that could escape a directory or that no Keras writer produces.</summary>
    internal static void CheckEntryName(string path, string name)
    {
        string? problem =
            name.Length == 0 ? "is empty"
            : name.Length > ArchiveLimits.MaxNameLength ? $"is longer than {ArchiveLimits.MaxNameLength} characters"
            : name.StartsWith('/') ? "is an absolute path"
            : name.Contains('\\', StringComparison.Ordinal) ? "contains a backslash"
            : name.Contains(':', StringComparison.Ordinal) ? "contains a drive or stream separator ':'"
            : name.Any(char.IsControl) ? "contains a control character"
            : name.Split('/').Any(part => part == "..") ? "contains a '..' path segment (path traversal)"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"{path}: archive entry name '{Printable(name)}' {problem}; refusing the archive.");
        }
    }

    /// <summary>
    /// Reads one entry fully, checking its declared and real size against <paramref name="limit"/> and its content
    /// against the CRC-32 the archive records (the zip reader does not check it for stored entries).
    /// </summary>
    internal static byte[] ReadEntry(ZipArchive zip, string path, string name, long limit)
    {
        var entry = zip.GetEntry(name)
            ?? throw new InvalidDataException($"{path}: the archive has no '{name}' entry (a .keras archive holds {MetadataEntry}, {ConfigEntry} and {WeightsEntry}).");
        if (entry.Length > limit || entry.Length < 0)
        {
            throw new InvalidDataException(
                $"{path}: entry '{name}' declares {entry.Length} bytes uncompressed; at most {limit} are allowed.");
        }
        var buffer = new byte[entry.Length];
        int read;
        try
        {
            using var stream = entry.Open();
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read == buffer.Length && stream.ReadByte() >= 0)
            {
                throw new InvalidDataException($"{path}: entry '{name}' holds more data than the {entry.Length} bytes it declares.");
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException && e is not InvalidDataException)
        {
            throw new InvalidDataException($"{path}: entry '{name}' cannot be read: {e.Message}", e);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: entry '{name}' is corrupt: {e.Message}", e);
        }
        if (read != buffer.Length)
        {
            throw new InvalidDataException($"{path}: entry '{name}' is truncated: {read} of {entry.Length} bytes present.");
        }
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(buffer);
        if (crc != entry.Crc32)
        {
            throw new InvalidDataException(
                $"{path}: entry '{name}' is corrupt: its CRC-32 is {crc:x8} but the archive records {entry.Crc32:x8}.");
        }
        return buffer;
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] data)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(data);
    }

    private static void RequireSuffix(string path, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(suffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid path '{path}': expected a `{suffix}` extension.", nameof(path));
        }
    }

    private enum FileKind
    {
        Unknown,
        Zip,
        Hdf5,
    }

    private static FileKind Sniff(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K')
        {
            return FileKind.Zip;
        }
        return n == 8 && head.SequenceEqual(WeightsH5.Hdf5Signature) ? FileKind.Hdf5 : FileKind.Unknown;
    }

    private static string Printable(string name)
    {
        var sb = new StringBuilder();
        foreach (char c in name.Length > 120 ? name[..120] : name)
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }
        return sb.ToString();
    }
}
