namespace WeightInit.Keras.Saving;

/// <summary>
/// Bounds checked before anything in a <c>.keras</c> archive is read, so a hostile or corrupt file cannot exhaust
/// memory: at most <see cref="MaxEntries"/> entries, JSON entries up to <see cref="MaxJsonBytes"/>, the weights entry
/// up to <see cref="MaxWeightsBytes"/>, names without <c>..</c>, absolute paths, backslashes or drive letters; a config may
/// describe at most <see cref="MaxParameters"/> parameters.
/// </summary>
internal static class ArchiveLimits
{
    /// <summary>Entries allowed in one archive (a Dense model has three; assets would add more).</summary>
    public const int MaxEntries = 64;

    /// <summary>Uncompressed size allowed for <c>config.json</c> and <c>metadata.json</c> (64 MiB).</summary>
    public const long MaxJsonBytes = 64L << 20;

    /// <summary>Uncompressed size allowed for <c>model.weights.h5</c> (1 GiB; it is read into memory).</summary>
    public const long MaxWeightsBytes = 1L << 30;

    /// <summary>Parameters a model read from a config may have: as many float32 values as fit the weights limit.</summary>
    public const long MaxParameters = MaxWeightsBytes / sizeof(float);

    /// <summary>Longest entry name accepted.</summary>
    public const int MaxNameLength = 1024;
}
