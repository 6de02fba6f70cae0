using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests.Parity;

/// <summary>
/// Every case of keras-torch-golden.json (Python Keras 3.16, torch backend, CPU): the library must give the same
/// bits (the same numbers within 1e-5 for Orthogonal, whose QR runs in LAPACK).
/// </summary>
[TestOf(typeof(Initializer))]
public class GoldenCaseTests
{
    private static IEnumerable<TestCaseData> Cases() => Named("SampledWithItsSeed_MatchesKerasTorch");

    private static IEnumerable<TestCaseData> RepeatCases() => Named("SecondCall_GivesTheSameBits");

    private static IEnumerable<TestCaseData> Named(string test) =>
        Golden.Cases.Select((c, i) => new TestCaseData(c).SetName($"GoldenCase_{i:00}_{test}({c.Label})"));

    [TestCaseSource(nameof(Cases))]
    public void GoldenCase_SampledWithItsSeed_MatchesKerasTorch(object golden)
    {
        var c = (GoldenTensor)golden;
        using var actual = Golden.Sample(c);
        Golden.AssertMatches(actual, c);
    }

    [TestCaseSource(nameof(RepeatCases))]
    public void GoldenCase_SecondCall_GivesTheSameBits(object golden)
    {
        var c = (GoldenTensor)golden;
        var initializer = Golden.Create(c.Initializer, c.Config, Random.Seed.Of(c.Seed));
        using var first = initializer.Call(c.Shape, DTypes.Parse(c.DType));
        using var second = initializer.Call(c.Shape, DTypes.Parse(c.DType));
        Assert.That(Golden.Sha256(second), Is.EqualTo(Golden.Sha256(first)), c.Label);
    }
}
