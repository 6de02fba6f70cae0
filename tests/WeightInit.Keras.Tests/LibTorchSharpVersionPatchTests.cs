using WeightInit.Keras.Build;

namespace WeightInit.Keras.Tests;

[TestOf(typeof(ElfVersionNeeds))]
public class LibTorchSharpVersionPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string OutputLibrary =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string PackageLibrary
    {
        get
        {
            string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    private static bool SystemLacksVersion =>
        !ElfVersionNeeds.DefinesVersion("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Version);

    [SetUp]
    public void RequireLinuxX64()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6") || !File.Exists(PackageLibrary))
        {
            Assert.Ignore("The patch concerns linux-x64 with a system libstdc++ and the TorchSharp package in the NuGet cache.");
        }
    }

    [Test]
    public void PackageLibrary_NeedsVersionStrongly_AndCacheIsNeverPatched()
    {
        var need = ElfVersionNeeds.Read(File.ReadAllBytes(PackageLibrary)).Single(n => n.Version == Version);
        Assert.That(need.Library, Is.EqualTo("libstdc++.so.6"));
        Assert.That(need.Flags & ElfVersionNeeds.WeakFlag, Is.Zero, "the NuGet cache copy must stay as published");
    }

    [Test]
    public void OutputLibrary_IsWeakExactlyWhenSystemLacksVersion()
    {
        var needs = ElfVersionNeeds.Read(File.ReadAllBytes(OutputLibrary));
        var need = needs.Single(n => n.Version == Version);
        bool weak = (need.Flags & ElfVersionNeeds.WeakFlag) != 0;
        Assert.That(weak, Is.EqualTo(SystemLacksVersion));
        var others = needs.Where(n => n.Version != Version).ToList();
        Assert.That(others, Is.Not.Empty);
        Assert.That(others.All(n => (n.Flags & ElfVersionNeeds.WeakFlag) == 0), Is.True, "only the one version may be weakened");
    }

    [Test]
    public void MarkWeakInFile_ChangesOnlyOneByte_AndIsIdempotent()
    {
        string copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(PackageLibrary, copy);
        try
        {
            byte[] before = File.ReadAllBytes(copy);
            Assert.That(ElfVersionNeeds.MarkWeakInFile(copy, Version), Is.EqualTo(1));
            byte[] after = File.ReadAllBytes(copy);
            int[] changed = [.. Enumerable.Range(0, before.Length).Where(i => before[i] != after[i])];
            Assert.That(after, Has.Length.EqualTo(before.Length));
            Assert.That(changed, Has.Length.EqualTo(1), "vna_flags low byte gains the weak bit");
            Assert.That(after[changed[0]], Is.EqualTo(before[changed[0]] | ElfVersionNeeds.WeakFlag));
            Assert.That(ElfVersionNeeds.MarkWeakInFile(copy, Version), Is.Zero, "a second run changes nothing");
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Test]
    public void Read_NotAnElf_Throws()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[100]));
        Assert.That(error!.Message, Does.Contain("not an ELF file"));
    }

    [Test]
    public void Read_TruncatedElf_ThrowsInsteadOfReadingPastTheEnd()
    {
        byte[] head = File.ReadAllBytes(PackageLibrary).AsSpan(0, 4096).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(head));
        Assert.That(error!.Message, Does.Contain("runs past the end"));
    }
}
