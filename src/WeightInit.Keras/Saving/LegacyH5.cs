using PureHDF;
using WeightInit.Keras.Models;
using static TorchSharp.torch;

namespace WeightInit.Keras.Saving;

/// <summary>
/// Legacy whole-model <c>.h5</c> files (<c>model.save("m.h5")</c>, Keras 2 and Keras 3): root attribute
/// <c>model_config</c> (JSON), group <c>model_weights</c> with one subgroup per layer name whose attribute
/// <c>weight_names</c> lists dataset paths relative to it. Weights are matched as Keras does: the layers that have
/// weights, in order, against the file's layers with non-empty <c>weight_names</c>, in <c>layer_names</c> order.
/// </summary>
internal static class LegacyH5
{
    public static Sequential Load(string path)
    {
        using var stream = File.OpenRead(path);
        var values = new List<Tensor>();
        try
        {
            using var h5 = WeightsH5.OpenHdf5(stream, path);
            if (!h5.AttributeExists("model_config"))
            {
                throw new InvalidDataException(h5.LinkExists("layers") || h5.LinkExists("vars")
                    ? $"{path}: a weights-only file (no model_config); build the model and call LoadWeights instead."
                    : $"{path}: an HDF5 file without a `model_config` attribute; not a Keras model file.");
            }
            string json = h5.Attribute("model_config").Read<string>();
            Sequential model;
            try
            {
                model = ModelConfig.FromJson(json);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path} (model_config): {e.Message}", e);
            }
            if (!h5.LinkExists("model_weights"))
            {
                throw new InvalidDataException($"{path}: no `model_weights` group.");
            }
            var weightsGroup = h5.Group("model_weights");
            string[] layerNames = weightsGroup.AttributeExists("layer_names") ? weightsGroup.Attribute("layer_names").Read<string[]>() : [];
            var fileLayers = new List<(string Name, IH5Group Group, string[] WeightNames)>();
            foreach (string name in layerNames)
            {
                if (!weightsGroup.LinkExists(name))
                {
                    throw new InvalidDataException($"{path}: model_weights lists layer '{name}' but has no group for it.");
                }
                var group = weightsGroup.Group(name);
                string[] weightNames = group.AttributeExists("weight_names") ? group.Attribute("weight_names").Read<string[]>() : [];
                if (weightNames.Length > 0)
                {
                    fileLayers.Add((name, group, weightNames));
                }
            }
            var modelLayers = model.Layers.Where(l => l.Weights.Count > 0).ToList();
            if (modelLayers.Count != fileLayers.Count)
            {
                throw new InvalidDataException(
                    $"{path}: the model has {modelLayers.Count} layer(s) with weights but the file stores weights for {fileLayers.Count} " +
                    $"({string.Join(", ", fileLayers.Select(f => f.Name))}).");
            }
            for (int i = 0; i < modelLayers.Count; i++)
            {
                var layer = modelLayers[i];
                var (name, group, weightNames) = fileLayers[i];
                if (weightNames.Length != layer.Weights.Count)
                {
                    throw new InvalidDataException(
                        $"{path}: layer '{layer.Name}' expects {layer.Weights.Count} weight(s) but model_weights/{name} lists {weightNames.Length}.");
                }
                for (int w = 0; w < weightNames.Length; w++)
                {
                    string datasetPath = $"model_weights/{name}/{weightNames[w]}";
                    if (!group.LinkExists(weightNames[w]))
                    {
                        throw new InvalidDataException($"{path}: dataset {datasetPath} listed in weight_names is missing.");
                    }
                    values.Add(WeightsH5.ReadDataset(group.Dataset(weightNames[w]), layer.Weights[w].shape, datasetPath, path));
                }
            }
            model.SetWeights(values);
            return model;
        }
        catch (Exception e) when (WeightsH5.IsParserFailure(e))
        {
            throw new InvalidDataException($"{path}: not a readable legacy Keras .h5 file ({e.GetType().Name}: {e.Message}).", e);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }
}
