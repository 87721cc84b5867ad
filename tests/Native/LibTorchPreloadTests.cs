using TinierHar.Native;

namespace TinierHar.Tests.Native;

/// <summary>
/// Where <see cref="LibTorchPreload"/> finds libtorch when TorchSharp runs from the NuGet package cache (the official
/// .NET Interactive kernel). The end-to-end check is CI's run of the notebooks in the <c>.net-csharp</c> kernel on a
/// machine with Debian's python3-torch (libtorch 1.13 in /usr/lib).
/// </summary>
public class LibTorchPreloadTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tinierhar-preload-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Touch(params string[] parts)
    {
        var path = Path.Combine([root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void Package_layout_gives_the_libtorch_package_folder()
    {
        var assembly = Touch("torchsharp", "0.107.0", "lib", "net6.0", "TorchSharp.dll");
        foreach (var lib in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            Touch(LibTorchPreload.Package, LibTorchPreload.Version, "runtimes", "linux-x64", "native", lib);
        Assert.Equal(Path.Combine(root, LibTorchPreload.Package, LibTorchPreload.Version, "runtimes", "linux-x64", "native"),
            LibTorchPreload.PackageNativeFolder(assembly));
    }

    [Fact]
    public void Missing_library_or_an_application_folder_gives_nothing()
    {
        var assembly = Touch("torchsharp", "0.107.0", "lib", "net6.0", "TorchSharp.dll");
        Touch(LibTorchPreload.Package, LibTorchPreload.Version, "runtimes", "linux-x64", "native", "libc10.so");
        Assert.Null(LibTorchPreload.PackageNativeFolder(assembly));                               // libtorch_cpu.so missing
        Assert.Null(LibTorchPreload.PackageNativeFolder(Touch("bin", "Debug", "net10.0", "TorchSharp.dll"))); // a build output
    }

    [Fact]
    public void Version_is_the_one_this_build_restores_and_the_cache_holds_it()
    {
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TinierHar.Tests.deps.json"));
        Assert.Contains($"\"{LibTorchPreload.Package}/{LibTorchPreload.Version}\"", deps);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var torchSharp = Directory.GetFiles(Path.Combine(cache, "torchsharp", "0.107.0", "lib"), "TorchSharp.dll", SearchOption.AllDirectories).First();
        var folder = LibTorchPreload.PackageNativeFolder(torchSharp);
        Assert.NotNull(folder);
        Assert.True(File.Exists(Path.Combine(folder!, "libtorch_cpu.so")));
    }

    [Fact]
    public void Application_build_needs_no_preload()
    {
        Assert.Null(LibTorchPreload.Apply()); // the tests run from a build output, TorchSharp.dll beside libtorch
    }
}
