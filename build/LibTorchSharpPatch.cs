// Makes TorchSharp 0.107.0's native bridge load on Linux systems whose libstdc++ predates GCC 13.
//
// libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 only because of one symbol
// (std::ios_base_library_init) that TorchSharp never calls. Debian 12's libstdc++ stops at
// GLIBCXX_3.4.30, so the dynamic loader refuses the library and TorchSharp reports a misleading
// "doesn't contain a reference to libtorch-cpu-linux-x64". Marking that one version requirement
// weak (VER_FLG_WEAK in the .gnu.version_r section) lets the loader accept the library.
//
// Run as an MSBuild inline task by Directory.Build.targets after every build's copy step, on the NuGet
// package folder and the build output. Idempotent: an already weak requirement is left alone.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharp : Task
{
    /// <summary>Folders to search (recursively) for libLibTorchSharp.so.</summary>
    [Required] public string[] Folders { get; set; } = Array.Empty<string>();

    /// <summary>The GLIBCXX version to mark weak.</summary>
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
        if (SystemLibStdCxxHas(Version)) return true;
        var patched = new List<string>();
        foreach (var folder in Folders)
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (ElfWeakVersion.MarkWeak(file, Version)) patched.Add(file);
                }
                catch (Exception e)
                {
                    Log.LogWarning($"TinierHar: could not patch {file}: {e.Message}");
                }
            }
        }
        if (patched.Count > 0)
            Log.LogMessage(MessageImportance.High,
                $"TinierHar: this system's libstdc++ lacks {Version}; marked it weak in {patched.Count} copy(ies) of libLibTorchSharp.so ({string.Join(", ", patched)}). See DEVELOPERS.md.");
        return true;
    }

    static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            return IndexOf(bytes, needle) >= 0;
        }
        return false; // no system libstdc++ found where expected: patching is harmless
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}

/// <summary>Sets VER_FLG_WEAK on one version requirement of an ELF64 little-endian shared object.</summary>
public static class ElfWeakVersion
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>Returns true if the file was changed, false if already weak or not required.</summary>
    public static bool MarkWeak(string path, string version)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (data[4] != 2 || data[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");

        ulong shoff = BitConverter.ToUInt64(data, 0x28);
        int shentsize = BitConverter.ToUInt16(data, 0x3A);
        int shnum = BitConverter.ToUInt16(data, 0x3C);
        var changes = new List<int>();
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(data, sh + 4) != ShtGnuVerneed) continue;
            int link = (int)BitConverter.ToUInt32(data, sh + 40);
            int offset = checked((int)BitConverter.ToUInt64(data, sh + 24));
            int strtab = checked((int)BitConverter.ToUInt64(data, checked((int)shoff + link * shentsize) + 24));
            int vn = offset;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(data, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(data, vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    int nameOff = strtab + (int)BitConverter.ToUInt32(data, aux + 8);
                    int end = Array.IndexOf(data, (byte)0, nameOff);
                    if (Encoding.ASCII.GetString(data, nameOff, end - nameOff) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(data, aux + 4);
                        if ((flags & VerFlgWeak) == 0) changes.Add(aux + 4);
                    }
                    uint next = BitConverter.ToUInt32(data, aux + 12);
                    if (next == 0) break;
                    aux += (int)next;
                }
                uint vnNext = BitConverter.ToUInt32(data, vn + 12);
                if (vnNext == 0) break;
                vn += (int)vnNext;
            }
        }
        if (changes.Count == 0) return false;
        // Patch a copy (File.Copy keeps the file mode), then rename it over the original:
        // a crash never leaves a half-written library behind.
        var tmp = path + ".tinierhar-tmp";
        File.Copy(path, tmp, overwrite: true);
        using (var fs = new FileStream(tmp, FileMode.Open, FileAccess.Write))
        {
            foreach (var at in changes)
            {
                ushort flags = (ushort)(BitConverter.ToUInt16(data, at) | VerFlgWeak);
                fs.Position = at;
                fs.WriteByte((byte)(flags & 0xff));
                fs.WriteByte((byte)(flags >> 8));
            }
        }
        File.Replace(tmp, path, null);
        return true;
    }
}
