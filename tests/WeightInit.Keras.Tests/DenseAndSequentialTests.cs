using WeightInit.Keras.Data;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests;

[TestOf(typeof(Sequential))]
public class DenseAndSequentialTests
{
    [Test]
    public void Dense_KernelIsInputDimByUnits_BiasZeros()
    {
        var dense = new Dense(7, "relu");
        var model = new Sequential(new InputLayer(5), dense);
        Assert.That(dense.Kernel!.shape, Is.EqualTo(new long[] { 5, 7 }));
        Assert.That(dense.Bias!.shape, Is.EqualTo(new long[] { 7 }));
        Assert.That(dense.Bias.data<float>().ToArray(), Is.All.Zero);
        Assert.That(dense.KernelInitializer, Is.TypeOf<GlorotUniform>());
        Assert.That(model.OutputShape, Is.EqualTo(new long[] { 7 }));
        Assert.That(model.CountParams(), Is.EqualTo(5 * 7 + 7));
    }

    [Test]
    public void Dense_ComputesInputsTimesKernelPlusBias_InKerasLayout()
    {
        var dense = new Dense(2, useBias: true, activation: null, kernelInitializer: new Ones(), biasInitializer: new Ones());
        var model = new Sequential(new InputLayer(3), dense);
        model.SetWeights([tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]), tensor(new float[] { 10, 20 }, [2])]);
        using var x = tensor(new float[] { 1, 1, 1, 2, 0, 0 }, [2, 3]);
        using var y = model.Predict(x);
        // Row [1,1,1]: (1+3+5, 2+4+6) + bias; row [2,0,0]: (2, 4) + bias.
        Assert.That(y.data<float>().ToArray(), Is.EqualTo(new float[] { 19, 32, 12, 24 }));
    }

    [Test]
    public void Dense_NoBias_HasOnlyKernel()
    {
        var dense = new Dense(4, useBias: false);
        _ = new Sequential(new InputLayer(3), dense);
        Assert.That(dense.Weights, Has.Count.EqualTo(1));
        Assert.That(dense.Bias, Is.Null);
    }

    [Test]
    public void GetWeights_AreCopiesInKerasOrder()
    {
        var model = new Sequential(new InputLayer(4), new Dense(3), new Dense(2, useBias: false));
        var weights = model.GetWeights();
        Assert.That(weights.Select(w => w.shape), Is.EqualTo(new[] { new long[] { 4, 3 }, [3], [3, 2] }));
        weights[0].fill_(9f);
        Assert.That(model.Weights[0].data<float>().ToArray(), Has.None.EqualTo(9f));
    }

    [Test]
    public void SetWeights_WrongShape_NamesBothShapes()
    {
        var model = new Sequential(new InputLayer(4), new Dense(3));
        var error = Assert.Throws<ArgumentException>(() => model.SetWeights([zeros(3, 4), zeros(3)]));
        Assert.That(error!.Message, Does.Contain("(3, 4)").And.Contain("(4, 3)"));
    }

    [Test]
    public void SetRandomSeed_ThenBuild_KernelSeedsFollowPythonRandom()
    {
        // After random.seed(42), CPython's randint(1, 10**9) draws 686579304, then 119540832 (spec §6.3):
        // one per Dense (kernel first), none for the zeros bias.
        KerasRandom.SetRandomSeed(42);
        var first = new Dense(8, kernelInitializer: "he_normal");
        var second = new Dense(3);
        _ = new Sequential(new InputLayer(5), first, second);
        using var expectedFirst = new HeNormal(seed: 686579304).Call([5, 8]);
        using var expectedSecond = new GlorotUniform(seed: 119540832).Call([8, 3]);
        Assert.That(first.Kernel!.data<float>().ToArray(), Is.EqualTo(expectedFirst.data<float>().ToArray()));
        Assert.That(second.Kernel!.data<float>().ToArray(), Is.EqualTo(expectedSecond.data<float>().ToArray()));
    }

    [Test]
    public void Summary_ListsLayersShapesAndParams()
    {
        var model = new Sequential([new InputLayer(64), new Dense(64, "relu", name: "hidden"), new Dense(10, "softmax", name: "head")], "digits_mlp");
        var text = new StringWriter();
        model.Summary(text);
        string s = text.ToString();
        Assert.That(s, Does.Contain("Model: \"digits_mlp\""));
        Assert.That(s, Does.Contain("hidden (Dense)").And.Contain("(None, 64)").And.Contain("4,160"));
        Assert.That(s, Does.Contain("head (Dense)").And.Contain("(None, 10)").And.Contain("650"));
        Assert.That(s, Does.Contain("Total params: 4,810 (18.79 KB)"));
    }

    [Test]
    public void Fit_OnDigits_LearnsAndReportsHistory()
    {
        const int Seed = 7;
        var (train, test) = Datasets.Digits().TrainTestSplit(0.2, Seed);
        KerasRandom.SetRandomSeed(Seed);
        var model = new Sequential(new InputLayer(64), new Dense(32, "relu", kernelInitializer: "he_normal"), new Dense(10, "softmax"));
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        using var x = train.FeaturesTensor();
        using var y = train.LabelsTensor();
        double before = model.Evaluate(x, y)["loss"];
        var history = model.Fit(x, y, epochs: 10, batchSize: 32, validationSplit: 0.2, seed: Seed);
        Assert.That(history.Values.Keys, Is.EqualTo(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }));
        Assert.That(history.Epochs, Is.EqualTo(10));
        Assert.That(history["loss"][^1], Is.LessThan(before / 3), "ten epochs of Adam cut the loss to a third of where it started (≈ ln 10)");
        using var tx = test.FeaturesTensor();
        using var ty = test.LabelsTensor();
        Assert.That(model.Evaluate(tx, ty)["accuracy"], Is.GreaterThan(0.85));
    }

    [Test]
    public void Fit_SameSeeds_SameHistory()
    {
        var (train, _) = Datasets.Digits().TrainTestSplit(0.2, 3);
        using var x = train.FeaturesTensor();
        using var y = train.LabelsTensor();
        double[] Run()
        {
            KerasRandom.SetRandomSeed(3);
            var model = new Sequential(new InputLayer(64), new Dense(16, "tanh"), new Dense(10, "softmax"));
            model.Compile(new SGD(0.1), "sparse_categorical_crossentropy");
            return [.. model.Fit(x, y, epochs: 2, seed: 11)["loss"]];
        }
        double[] first = Run();
        double[] second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Fit_BinaryHead_UsesBinaryAccuracy()
    {
        var (train, _) = Datasets.BreastCancer().TrainTestSplit(0.2, 1);
        var (mean, std) = train.FeatureMoments();
        train = train.Standardize(mean, std);
        KerasRandom.SetRandomSeed(1);
        var model = new Sequential(new InputLayer(30), new Dense(8, "relu"), new Dense(1, "sigmoid"));
        model.Compile("adam", "binary_crossentropy", ["accuracy"]);
        using var x = train.FeaturesTensor();
        using var y = train.LabelsTensor(binary: true);
        var history = model.Fit(x, y, epochs: 10, seed: 1);
        Assert.That(history["accuracy"][^1], Is.GreaterThan(0.9));
    }

    [Test]
    public void Compile_UnknownNames_ListValidOnes()
    {
        var model = new Sequential(new InputLayer(2), new Dense(1));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("adamw", "mse"))!.Message,
            Does.Contain("'adamw'").And.Contain("adam, sgd, rmsprop"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("adam", "hinge"))!.Message,
            Does.Contain("'hinge'").And.Contain("sparse_categorical_crossentropy"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("adam", "mse", ["auc"]))!.Message,
            Does.Contain("'auc'").And.Contain("accuracy"));
    }

    [Test]
    public void BadArguments_AreRejectedWithTheAllowedRange()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new Dense(3, "swish"))!.Message,
            Does.Contain("'swish'").And.Contain("relu"));
        Assert.That(Assert.Throws<ArgumentException>(() => new Dense(3, kernelInitializer: "henormal"))!.Message,
            Does.Contain("'henormal'").And.Contain("he_normal"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0))!.Message, Does.Contain("units=0"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0))!.Message, Does.Contain("> 0"));
        var model = new Sequential(new InputLayer(2), new Dense(1));
        model.Compile("sgd", "mse");
        using var x = zeros(4, 2);
        using var y = zeros(4, 1);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, epochs: 0))!.Message, Does.Contain(">= 1"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, batchSize: -1))!.Message, Does.Contain(">= 1"));
        using var wrong = zeros(4, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => model.Fit(wrong, y))!.Message, Does.Contain("(None, 2)"));
    }
}
