using TinierHar.Cli.Workbook;

namespace TinierHar.Tests.Workbook;

public sealed class LibraryReferenceTests
{
    [Fact]
    public void Rewrites_the_library_reference_only()
    {
        var source = "#r \"nuget: Deedle, 8.1.0\"\n#r \"../bin/Debug/net10.0/TinierHar.Lib.dll\"\r\n  #r \"..\\bin\\Release\\net10.0\\TinierHar.Lib.dll\"\n#r \"Other.dll\"\nusing TinierHar;";
        var rewritten = LibraryReference.Rewrite(source, "/x/TinierHar.Lib.dll");
        Assert.Equal("#r \"nuget: Deedle, 8.1.0\"\n#r \"/x/TinierHar.Lib.dll\"\r\n  #r \"/x/TinierHar.Lib.dll\"\n#r \"Other.dll\"\nusing TinierHar;", rewritten);
    }

    [Fact]
    public void Default_target_is_the_loaded_library()
    {
        Assert.Equal(typeof(TinierHar.Models.ModelSpec).Assembly.Location, LibraryReference.LoadedPath);
        Assert.Equal($"#r \"{LibraryReference.LoadedPath}\"", LibraryReference.Rewrite("#r \"../bin/Debug/net10.0/TinierHar.Lib.dll\""));
    }
}
