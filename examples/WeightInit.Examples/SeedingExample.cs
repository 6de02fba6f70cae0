using System.Globalization;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Examples;

/// <summary>The three ways Keras seeds an initializer, and what each gives on repeated calls.</summary>
internal sealed class SeedingExample : Example
{
    public override string Name => "seeding";

    public override string Summary => "Seeds: an int seed repeats, a SeedGenerator advances, set_random_seed fixes unseeded draws.";

    public override void Run(Lab lab)
    {
        // initializers.RandomNormal(seed=7): the same values on every call, with no warning.
        var fixedSeed = new RandomNormal(seed: 7);
        lab.Out.WriteLine($"int seed 7, call 1: {First(fixedSeed)}");
        lab.Out.WriteLine($"int seed 7, call 2: {First(fixedSeed)}");

        // initializers.RandomNormal(seed=keras.random.SeedGenerator(7)): new values on every call; on the torch
        // backend call n uses the seed 7 + n, so call 2 equals an int seed of 8.
        var advancing = new RandomNormal(seed: new SeedGenerator(7));
        lab.Out.WriteLine($"SeedGenerator(7), call 1: {First(advancing)}");
        lab.Out.WriteLine($"SeedGenerator(7), call 2: {First(advancing)}");
        lab.Out.WriteLine($"int seed 8:               {First(new RandomNormal(seed: 8))}");

        // keras.utils.set_random_seed(42): unseeded initializers then draw their seeds from Python's random, one
        // per construction, so the same code builds the same model in Python and here.
        string Build()
        {
            KerasRandom.SetRandomSeed(42);
            var hidden = new Dense(4, "relu", kernelInitializer: "he_normal");
            _ = new Sequential(new InputLayer(3), hidden);
            return string.Join(", ", hidden.Kernel!.data<float>().ToArray().Take(3).Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
        }
        lab.Out.WriteLine($"after SetRandomSeed(42), build 1: {Build()}");
        lab.Out.WriteLine($"after SetRandomSeed(42), build 2: {Build()}");
        lab.Notice("an unseeded initializer is not random per call in Keras 3: it fixes a seed when it is built. " +
                   "Only a SeedGenerator changes between calls.");
    }

    private static string First(Initializer initializer)
    {
        using var t = initializer.Call([3]);
        return string.Join(", ", t.data<float>().ToArray().Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
    }
}
