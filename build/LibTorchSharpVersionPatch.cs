#nullable enable
// Marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 as weak, in the build output only.
// Compiled twice from this one file: by MSBuild's RoslynCodeTaskFactory (everything) and by
// the test project with ELF_VERSION_NEEDS_ONLY defined (the ElfVersionNeeds class, without the
// MSBuild task wrapper), so the ELF logic that runs at build time is the logic that is tested.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !ELF_VERSION_NEEDS_ONLY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace WeightInit.Keras.Build
{
    /// <summary>Reads and edits the version needs (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF file.</summary>
    public static class ElfVersionNeeds
    {
        /// <summary>The <c>vna_flags</c> bit that makes a missing version a warning instead of a load failure.</summary>
        public const ushort WeakFlag = 0x2;

        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>One version a library needs from another: its name, the library and its <c>vna_flags</c>.</summary>
        public readonly struct VersionNeed
        {
            /// <summary>Creates an entry.</summary>
            public VersionNeed(string library, string version, ushort flags, long flagsOffset)
            {
                Library = library;
                Version = version;
                Flags = flags;
                FlagsOffset = flagsOffset;
            }

            /// <summary>The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</summary>
            public string Library { get; }

            /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
            public string Version { get; }

            /// <summary>The entry's <c>vna_flags</c>.</summary>
            public ushort Flags { get; }

            /// <summary>Where in the file the two bytes of <c>vna_flags</c> sit.</summary>
            public long FlagsOffset { get; }
        }

        /// <summary>Lists every version need of an ELF image.</summary>
        /// <exception cref="InvalidDataException">The bytes are not a 64-bit little-endian ELF image or its tables run past the end.</exception>
        public static List<VersionNeed> Read(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("not an ELF file (the first four bytes are not 0x7F 'E' 'L' 'F')");
            }
            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException($"only 64-bit little-endian ELF is supported (class {elf[4]}, data {elf[5]})");
            }
            long sectionTable = (long)U64(elf, 0x28);
            int sectionSize = U16(elf, 0x3A);
            int sectionCount = U16(elf, 0x3C);
            var needs = new List<VersionNeed>();
            for (int i = 0; i < sectionCount; i++)
            {
                long header = sectionTable + (long)i * sectionSize;
                Check(elf, header, 64);
                if (U32(elf, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }
                long offset = (long)U64(elf, header + 24);
                uint stringSection = U32(elf, header + 40);
                uint entries = U32(elf, header + 44);
                long stringHeader = sectionTable + (long)stringSection * sectionSize;
                Check(elf, stringHeader, 64);
                long strings = (long)U64(elf, stringHeader + 24);
                long need = offset;
                for (uint n = 0; n < entries; n++)
                {
                    Check(elf, need, 16);
                    int auxCount = U16(elf, need + 2);
                    string library = CString(elf, strings + U32(elf, need + 4));
                    long aux = need + U32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        Check(elf, aux, 16);
                        needs.Add(new VersionNeed(library, CString(elf, strings + U32(elf, aux + 8)), U16(elf, aux + 4), aux + 4));
                        aux += U32(elf, aux + 12);
                    }
                    need += U32(elf, need + 12);
                }
            }
            return needs;
        }

        /// <summary>Sets the weak flag on every need of <paramref name="version"/>; returns how many entries changed.</summary>
        public static int MarkWeak(byte[] elf, string version)
        {
            int changed = 0;
            foreach (VersionNeed need in Read(elf))
            {
                if (need.Version == version && (need.Flags & WeakFlag) == 0)
                {
                    ushort flags = (ushort)(need.Flags | WeakFlag);
                    elf[need.FlagsOffset] = (byte)flags;
                    elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                    changed++;
                }
            }
            return changed;
        }

        /// <summary>
        /// Marks <paramref name="version"/> weak in the file at <paramref name="path"/>, writing a new file and
        /// renaming it over the old one, so a hard-linked original elsewhere is never modified.
        /// </summary>
        public static int MarkWeakInFile(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            int changed = MarkWeak(elf, version);
            if (changed > 0)
            {
                string temporary = path + ".weak-version.tmp";
                File.WriteAllBytes(temporary, elf);
                File.Delete(path);
                File.Move(temporary, path);
            }
            return changed;
        }

        /// <summary>True when the file's bytes contain the NUL-terminated version name (how a libstdc++ defines it).</summary>
        public static bool DefinesVersion(string libraryPath, string version)
        {
            byte[] bytes = File.ReadAllBytes(libraryPath);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            for (int i = 0; i + needle.Length <= bytes.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && bytes[i + j] == needle[j])
                {
                    j++;
                }
                if (j == needle.Length)
                {
                    return true;
                }
            }
            return false;
        }

        private static void Check(byte[] elf, long at, int length)
        {
            if (at < 0 || at + length > elf.Length)
            {
                throw new InvalidDataException($"ELF table at offset {at} runs past the end of the file ({elf.Length} bytes)");
            }
        }

        private static ushort U16(byte[] b, long at)
        {
            Check(b, at, 2);
            return (ushort)(b[at] | b[at + 1] << 8);
        }

        private static uint U32(byte[] b, long at)
        {
            Check(b, at, 4);
            return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
        }

        private static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

        private static string CString(byte[] b, long at)
        {
            long end = at;
            while (end < b.Length && b[end] != 0)
            {
                end++;
            }
            Check(b, at, (int)(end - at));
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }

#if !ELF_VERSION_NEEDS_ONLY
    /// <summary>
    /// MSBuild task: in each given copy of libLibTorchSharp.so, marks the need for
    /// <see cref="Version"/> weak when the system's libstdc++ does not define it.
    /// </summary>
    public sealed class WeakenMissingLibStdCxxVersion : Microsoft.Build.Utilities.Task
    {
        /// <summary>The copies to patch (build or publish output, never the package cache).</summary>
        [Required]
        public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The version to weaken.</summary>
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        /// <summary>Candidate paths of the system libstdc++; the first that exists is read.</summary>
        public ITaskItem[] SystemLibraries { get; set; } = Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            string? system = null;
            foreach (ITaskItem candidate in SystemLibraries)
            {
                if (File.Exists(candidate.ItemSpec))
                {
                    system = candidate.ItemSpec;
                    break;
                }
            }
            if (system == null)
            {
                Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; libLibTorchSharp.so left as it is.");
                return true;
            }
            if (ElfVersionNeeds.DefinesVersion(system, Version))
            {
                Log.LogMessage(MessageImportance.Low, $"{system} defines {Version}; libLibTorchSharp.so left as it is.");
                return true;
            }
            foreach (ITaskItem library in Libraries)
            {
                try
                {
                    int changed = ElfVersionNeeds.MarkWeakInFile(library.ItemSpec, Version);
                    if (changed > 0)
                    {
                        Log.LogMessage(MessageImportance.Normal, $"{library.ItemSpec}: need for {Version} marked weak ({system} lacks it).");
                    }
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
                {
                    Log.LogError($"Could not patch {library.ItemSpec}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
