namespace WeightInit.Keras.IO;

/// <summary>Writes files so that a failure never leaves a half-written file at the target path.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes through a temporary file in the target's directory, flushes it to disk, then renames it over the target;
    /// if <paramref name="write"/> throws, the temporary file is deleted and the target is untouched.
    /// </summary>
    /// <exception cref="ArgumentException">An empty path.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist.</exception>
    /// <exception cref="IOException">The target is a directory, or the file cannot be created there.</exception>
    public static void Write(string path, Action<Stream> write) =>
        WriteVia(path, temporary =>
        {
            using var stream = Create(temporary, path);
            write(stream);
            stream.Flush(flushToDisk: true);
        });

    /// <summary>
    /// The same for a writer that takes a file name (a plotting library's <c>SavePng</c>, <c>File.WriteAllText</c>):
    /// <paramref name="writeTemporary"/> writes the temporary file it is given, which is then renamed over the target.
    /// </summary>
    /// <inheritdoc cref="Write(string, Action{Stream})" path="/exception"/>
    public static void WriteVia(string path, Action<string> writeTemporary)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The output path is empty; give a file name.", nameof(path));
        }
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (Directory.Exists(full))
        {
            throw new IOException($"Cannot write '{path}': it is a directory.");
        }
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': the directory '{directory}' does not exist.");
        }
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
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

    /// <summary>Creates the temporary file; a failure is reported against the target path, not the temporary name.</summary>
    private static FileStream Create(string temporary, string path)
    {
        try
        {
            return new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write '{path}': {e.Message.Replace(temporary, path, StringComparison.Ordinal)}", e);
        }
    }
}
