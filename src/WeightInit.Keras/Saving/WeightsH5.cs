using PureHDF;
using PureHDF.VOL.Native;
using WeightInit.Keras.Models;
using static TorchSharp.torch;

namespace WeightInit.Keras.Saving;

/// <summary>
/// The Keras 3 weights file (<c>model.weights.h5</c> inside an archive, or a <c>*.weights.h5</c> file): variables by
/// position, <c>/layers/&lt;snake_case class name, made unique&gt;/vars/0, 1, …</c>, float32, C order, no chunking.
/// </summary>
internal static class WeightsH5
{
    private static readonly H5WriteOptions WriteOptions = new(PreferCompactDatasetLayout: false);

    /// <summary>The group path of each layer of <c>model.layers</c> (InputLayer excluded): <c>layers/dense</c>, <c>layers/dense_1</c>, ….</summary>
    public static IReadOnlyList<string> LayerPaths(Sequential model)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var layer in model.Layers)
        {
            string name = Naming.ToSnakeCase(LayerRegistry.ClassNameOf(layer));
            if (used.TryGetValue(name, out int count))
            {
                used[name] = count + 1;
                name = $"{name}_{count + 1}";
            }
            else
            {
                used[name] = 0;
            }
            paths.Add("layers/" + name);
        }
        return paths;
    }

    /// <summary>Writes the weights file for <paramref name="model"/> to <paramref name="stream"/>.</summary>
    public static void Write(Sequential model, Stream stream)
    {
        var file = new H5File
        {
            ["vars"] = Vars(model.Name),
        };
        var layersGroup = new H5Group();
        var paths = LayerPaths(model);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var vars = Vars(layer.Name);
            for (int w = 0; w < layer.Weights.Count; w++)
            {
                vars[w.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Dataset(layer.Weights[w]);
            }
            layersGroup[paths[i]["layers/".Length..]] = new H5Group { ["vars"] = vars };
        }
        file["layers"] = layersGroup;
        file.Write(stream, WriteOptions);
    }

    /// <summary>Reads the weights for <paramref name="model"/> from an HDF5 stream and sets them.</summary>
    /// <exception cref="InvalidDataException">Not HDF5, a missing group or dataset, or a dataset of the wrong shape or type; the message names <paramref name="label"/>.</exception>
    public static void Read(Sequential model, Stream stream, string label)
    {
        var values = new List<Tensor>();
        try
        {
            using var h5 = OpenHdf5(stream, label);
            var paths = LayerPaths(model);
            for (int i = 0; i < model.Layers.Count; i++)
            {
                var layer = model.Layers[i];
                var expected = layer.Weights;
                string varsPath = paths[i] + "/vars";
                IH5Group? vars = h5.LinkExists(paths[i]) && h5.Group(paths[i]).LinkExists("vars") ? h5.Group(varsPath) : null;
                int found = vars?.Children().Count() ?? 0;
                if (found != expected.Count)
                {
                    throw new InvalidDataException(
                        $"{label}: layer '{layer.Name}' expects {expected.Count} variable(s) at /{varsPath}, but the file has {found}.");
                }
                for (int w = 0; w < expected.Count; w++)
                {
                    string key = w.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!vars!.LinkExists(key))
                    {
                        throw new InvalidDataException($"{label}: dataset /{varsPath}/{key} of layer '{layer.Name}' is missing.");
                    }
                    values.Add(ReadDataset(vars.Dataset(key), expected[w].shape, $"/{varsPath}/{key}", label));
                }
            }
            model.SetWeights(values);
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            throw new InvalidDataException($"{label}: not a readable Keras weights file ({e.GetType().Name}: {e.Message}).", e);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Opens HDF5 from a stream, turning parser failures into <see cref="InvalidDataException"/>.</summary>
    public static NativeFile OpenHdf5(Stream stream, string label)
    {
        Span<byte> signature = stackalloc byte[8];
        stream.Position = 0;
        if (stream.ReadAtLeast(signature, 8, throwOnEndOfStream: false) < 8 || !signature.SequenceEqual(Hdf5Signature))
        {
            throw new InvalidDataException($"{label}: not an HDF5 file (no HDF5 signature at the start).");
        }
        stream.Position = 0;
        try
        {
            return H5File.Open(stream, leaveOpen: true);
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            throw new InvalidDataException($"{label}: HDF5 structure is corrupt or truncated ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>The 8-byte HDF5 superblock signature.</summary>
    public static ReadOnlySpan<byte> Hdf5Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads a float dataset of exactly <paramref name="shape"/> as a float32 tensor.</summary>
    /// <exception cref="InvalidDataException">Another shape, or not float32/float64.</exception>
    public static Tensor ReadDataset(IH5Dataset dataset, long[] shape, string path, string label)
    {
        ulong[] dims = dataset.Space.Dimensions;
        if (!dims.Select(d => (long)d).SequenceEqual(shape))
        {
            throw new InvalidDataException(
                $"{label}: dataset {path} has shape ({string.Join(", ", dims)}); the model expects ({string.Join(", ", shape)}).");
        }
        RejectForeignStorage(dataset, path, label);
        if (dataset.AttributeExists("dtype"))
        {
            throw new InvalidDataException($"{label}: dataset {path} is stored as {dataset.Attribute("dtype").Read<string>()}; only float32 and float64 are supported.");
        }
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size is not (4 or 8))
        {
            throw new InvalidDataException(
                $"{label}: dataset {path} has HDF5 type {dataset.Type.Class} of {dataset.Type.Size} bytes; only float32 and float64 are supported.");
        }
        if (dataset.Type.Size == 4)
        {
            return tensor(dataset.Read<float[]>(), shape);
        }
        using var wide = tensor(dataset.Read<double[]>(), shape);
        return wide.to_type(ScalarType.Float32);
    }

    /// <summary>
    /// Refuses datasets whose values live outside this file: virtual datasets and datasets with an external file
    /// list (HDF5 "external storage"), which would make the reader open arbitrary local files named by the file.
    /// PureHDF 2.2.0 exposes the external file list only internally, so it is read by reflection; if that member is
    /// ever missing, reading fails closed.
    /// </summary>
    private static void RejectForeignStorage(IH5Dataset dataset, string path, string label)
    {
        if (dataset.Layout.Class == H5DataLayoutClass.VirtualStorage)
        {
            throw new InvalidDataException($"{label}: dataset {path} is a virtual dataset (data in other files); refusing to read it.");
        }
        if (dataset is not NativeDataset || ExternalFileList is null)
        {
            throw new InvalidDataException($"{label}: cannot verify that dataset {path} stores its data inside the file; refusing to read it.");
        }
        if (ExternalFileList.GetValue(dataset) is not null)
        {
            throw new InvalidDataException($"{label}: dataset {path} keeps its data in external file(s); refusing to read other files.");
        }
    }

    private static readonly System.Reflection.PropertyInfo? ExternalFileList = typeof(NativeDataset).GetProperty(
        "InternalExternalFileList", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);

    /// <summary>Exceptions a parser throws on malformed input (not ones signalling a bug in the caller).</summary>
    public static bool IsParserFailure(Exception e) =>
        e is not InvalidDataException and not OutOfMemoryException and not OperationCanceledException and not ObjectDisposedException;

    private static H5Group Vars(string name) => new() { Attributes = new Dictionary<string, object> { ["name"] = name } };

    private static H5Dataset Dataset(Tensor variable)
    {
        using var cpu = variable.detach().to(CPU).to_type(ScalarType.Float32).contiguous();
        float[] data = cpu.data<float>().ToArray();
        return new H5Dataset(data, fileDims: [.. cpu.shape.Select(d => (ulong)d)]);
    }
}
