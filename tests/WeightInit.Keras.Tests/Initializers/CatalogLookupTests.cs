using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests.Initializers;

[TestOf(typeof(KerasInitializers))]
public class CatalogLookupTests
{
    // Spec §2's table: every string keras.initializers.get accepts, with the class it gives.
    private static readonly object[] SpecTable =
    [
        new object[] { "Zeros", typeof(Zeros) }, new object[] { "zeros", typeof(Zeros) }, new object[] { "zero", typeof(Zeros) },
        new object[] { "Ones", typeof(Ones) }, new object[] { "ones", typeof(Ones) }, new object[] { "one", typeof(Ones) },
        new object[] { "Constant", typeof(Constant) }, new object[] { "constant", typeof(Constant) },
        new object[] { "Identity", typeof(Identity) }, new object[] { "identity", typeof(Identity) },
        new object[] { "IdentityInitializer", typeof(Identity) },
        new object[] { "STFT", typeof(STFT) }, new object[] { "stft", typeof(STFT) }, new object[] { "STFTInitializer", typeof(STFT) },
        new object[] { "RandomNormal", typeof(RandomNormal) }, new object[] { "random_normal", typeof(RandomNormal) },
        new object[] { "normal", typeof(RandomNormal) },
        new object[] { "TruncatedNormal", typeof(TruncatedNormal) }, new object[] { "truncated_normal", typeof(TruncatedNormal) },
        new object[] { "RandomUniform", typeof(RandomUniform) }, new object[] { "random_uniform", typeof(RandomUniform) },
        new object[] { "uniform", typeof(RandomUniform) },
        new object[] { "VarianceScaling", typeof(VarianceScaling) }, new object[] { "variance_scaling", typeof(VarianceScaling) },
        new object[] { "GlorotUniform", typeof(GlorotUniform) }, new object[] { "glorot_uniform", typeof(GlorotUniform) },
        new object[] { "GlorotNormal", typeof(GlorotNormal) }, new object[] { "glorot_normal", typeof(GlorotNormal) },
        new object[] { "LecunNormal", typeof(LecunNormal) }, new object[] { "lecun_normal", typeof(LecunNormal) },
        new object[] { "LecunUniform", typeof(LecunUniform) }, new object[] { "lecun_uniform", typeof(LecunUniform) },
        new object[] { "HeNormal", typeof(HeNormal) }, new object[] { "he_normal", typeof(HeNormal) },
        new object[] { "HeUniform", typeof(HeUniform) }, new object[] { "he_uniform", typeof(HeUniform) },
        new object[] { "Orthogonal", typeof(Orthogonal) }, new object[] { "orthogonal", typeof(Orthogonal) },
        new object[] { "OrthogonalInitializer", typeof(Orthogonal) },
    ];

    [TestCaseSource(nameof(SpecTable))]
    public void Get_SpecName_GivesKerasClass(string name, Type expected)
    {
        var initializer = KerasInitializers.Get(name);

        Assert.That(initializer, Is.TypeOf(expected));
        Assert.That(initializer.ClassName, Is.EqualTo(expected.Name));
    }

    [TestCaseSource(nameof(SpecTable))]
    public void DeserializeClassName_SpecName_GivesKerasClass(string name, Type expected)
    {
        var initializer = KerasInitializers.Deserialize($"{{\"class_name\": \"{name}\", \"config\": {{}}}}");

        Assert.That(initializer, Is.TypeOf(expected));
    }

    [Test]
    public void Names_AreExactlyTheSpecTable()
    {
        var expected = SpecTable.Select(row => (string)((object[])row)[0]).Order(StringComparer.Ordinal);

        Assert.That(KerasInitializers.Names, Is.EqualTo(expected));
    }

    [TestCase("henormal", "HeNormal")]
    [TestCase("He_Normal", "he_normal")]
    [TestCase("HE_NORMAL", "he_normal")]
    [TestCase("glorotuniform", "GlorotUniform")]
    [TestCase("Stft", "STFT")]
    [TestCase("truncatednormal", "TruncatedNormal")]
    public void Get_NearMiss_ThrowsListingValidNamesAndNearest(string name, string nearest)
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Get(name));

        Assert.That(e!.ParamName, Is.EqualTo("identifier"));
        Assert.That(e.Message, Does.Contain($"'{name}'"));
        Assert.That(e.Message, Does.Contain($"Did you mean '{nearest}'?"));
        Assert.That(e.Message, Does.Contain("he_normal, he_uniform, identity"));
    }

    [TestCase("Initializer")]
    [TestCase("initializer")]
    public void Get_AbstractBaseName_ThrowsSayingItIsTheBase(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => KerasInitializers.Get(name));

        Assert.That(e!.Message, Does.Contain("abstract base class"));
    }

    [Test]
    public void Get_Constant_HasValueZero()
    {
        // Keras raises KeyError: 'value' here (spec §5.4); we give the constructor default.
        var constant = (Constant)KerasInitializers.Get("constant");

        Assert.That(constant.Value, Is.EqualTo(0.0));
        using var values = constant.Call([2, 2]);
        Assert.That(values.data<float>().ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void Catalog_HasOneEntryPerClassWithItsNames()
    {
        var catalog = KerasInitializers.Catalog;

        Assert.That(catalog.Select(c => c.ClassName), Is.EquivalentTo(SpecTable.Select(r => ((Type)((object[])r)[1]).Name).Distinct()));
        var he = catalog.Single(c => c.ClassName == "HeNormal");
        Assert.That(he.Names, Is.EqualTo(new[] { "HeNormal", "he_normal" }));
        Assert.That(he.DefaultsJson, Is.EqualTo("{\"seed\": null, \"input_axes\": null, \"output_axes\": null}"));
        Assert.That(he.IsRandom, Is.True);
        var stft = catalog.Single(c => c.ClassName == "STFT");
        Assert.That(stft.DefaultsJson, Is.EqualTo("{\"side\": \"real\", \"window\": \"hann\", \"periodic\": false, \"scaling\": \"density\"}"));
        Assert.That(stft.IsRandom, Is.False);
    }
}
