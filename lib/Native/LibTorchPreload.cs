using System.Runtime.InteropServices;

namespace TinierHar.Native;

/// <summary>
/// Makes libtorch load from TorchSharp's own package when TorchSharp runs straight from the NuGet package cache, as in
/// the official .NET Interactive kernel (Jupyter <c>.net-csharp</c>, VS Code) after <c>#r "nuget: TorchSharp-cpu"</c>.
/// There <c>libLibTorchSharp.so</c> sits in the torchsharp package and needs <c>libtorch.so</c>, <c>libc10.so</c> and
/// <c>libtorch_cpu.so</c>, which sit in the libtorch-cpu-linux-x64 package: its RUNPATH (<c>$ORIGIN</c>) does not
/// reach them, so the dynamic loader takes whatever the system has. On a machine with Debian's python3-torch that is
/// libtorch 1.13 in /usr/lib, and loading fails ("Unable to load shared library 'LibTorchSharp'"). Loading the
/// package's libraries first by full path settles the names: the loader reuses an already loaded library with the
/// same SONAME. An application build (CLI, tests, workbook) has them next to each other and needs nothing.
/// </summary>
public static class LibTorchPreload
{
    /// <summary>The libtorch package TorchSharp-cpu 0.107.0 depends on, and its version.</summary>
    public const string Package = "libtorch-cpu-linux-x64", Version = "2.10.0";

    /// <summary>libtorch's libraries in dependency order.</summary>
    static readonly string[] Libraries = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>
    /// The native folder of the libtorch package when <paramref name="torchSharpAssembly"/> is TorchSharp.dll inside a
    /// NuGet package cache (<c>ROOT/torchsharp/VERSION/lib/TFM/TorchSharp.dll</c>) and that folder exists; otherwise null.
    /// </summary>
    public static string? PackageNativeFolder(string torchSharpAssembly)
    {
        var tfm = Path.GetDirectoryName(Path.GetFullPath(torchSharpAssembly));
        var lib = tfm is null ? null : Path.GetDirectoryName(tfm);
        var version = lib is null ? null : Path.GetDirectoryName(lib);
        var package = version is null ? null : Path.GetDirectoryName(version);
        var root = package is null ? null : Path.GetDirectoryName(package);
        if (root is null || !string.Equals(Path.GetFileName(lib), "lib", StringComparison.Ordinal)
            || !string.Equals(Path.GetFileName(package), "torchsharp", StringComparison.OrdinalIgnoreCase)) return null;
        var native = Path.Combine(root, Package, Version, "runtimes", "linux-x64", "native");
        return Libraries.All(l => File.Exists(Path.Combine(native, l))) ? native : null;
    }

    /// <summary>On Linux x64, when TorchSharp was loaded from the package cache, loads the package's libtorch by full
    /// path (before the first tensor); returns the folder it loaded from, or null when nothing was needed.</summary>
    public static string? Apply()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        var folder = PackageNativeFolder(typeof(TorchSharp.torch).Assembly.Location);
        if (folder is null) return null;
        foreach (var library in Libraries) NativeLibrary.Load(Path.Combine(folder, library));
        return folder;
    }
}
