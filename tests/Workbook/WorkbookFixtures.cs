using System.Text.Json.Nodes;
using TinierHar.Tests.Data;

namespace TinierHar.Tests.Workbook;

/// <summary>The synthetic notebooks of tests/Fixtures/notebooks and a temporary folder per test.</summary>
internal sealed class WorkbookFixtures : IDisposable
{
    public WorkbookFixtures()
    {
        Root = Path.Combine(Path.GetTempPath(), "tinierhar-workbook-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>The temporary folder (deleted on dispose).</summary>
    public string Root { get; }

    public static string Source(string name) => Path.Combine(TestPaths.Fixture("notebooks"), name + ".ipynb");

    /// <summary>Copies a fixture into <c>Root/folder</c> as <c>target.ipynb</c>; returns its path.</summary>
    public string Copy(string fixture, string folder, string target)
    {
        var dir = Path.Combine(Root, folder);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, target + ".ipynb");
        File.Copy(Source(fixture), path, overwrite: true);
        return path;
    }

    public string Dir(string name)
    {
        var dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static JsonArray Cells(string ipynb) => JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();

    public static string Text(JsonNode? multiline) => multiline switch
    {
        JsonArray a => string.Concat(a.Select(l => l!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
