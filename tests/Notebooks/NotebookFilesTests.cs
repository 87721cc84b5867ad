using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using TinierHar.Data;

namespace TinierHar.Tests.Notebooks;

/// <summary>
/// The committed notebooks in <c>notebooks/</c>: numbered, no outputs, learning goals first, then one cell pinning the
/// library's exact package versions and loading the built library, then one parameters cell the runner can override.
/// </summary>
public class NotebookFilesTests
{
    static readonly string Root = DataFolder.RepositoryRoot(AppContext.BaseDirectory);
    static readonly string Folder = Path.Combine(Root, "notebooks");

    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(Path.Combine(DataFolder.RepositoryRoot(AppContext.BaseDirectory), "notebooks"), "*.ipynb")
            .Select(p => new object[] { Path.GetFileName(p) });

    static JsonElement Cells(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name)));
        return doc.RootElement.GetProperty("cells").Clone();
    }

    static string Source(JsonElement cell) =>
        cell.GetProperty("source") is { ValueKind: JsonValueKind.Array } a ? string.Concat(a.EnumerateArray().Select(s => s.GetString())) : cell.GetProperty("source").GetString()!;

    [Fact]
    public void The_four_notebooks_are_numbered_in_reading_order()
    {
        var names = Directory.GetFiles(Folder, "*.ipynb").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "01-data-preparation.ipynb", "02-training-tinierhar-vs-baselines.ipynb", "03-ablations.ipynb", "04-efficiency-accuracy.ipynb" }, names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebooks_carry_no_outputs(string name)
    {
        foreach (var (cell, i) in Cells(name).EnumerateArray().Select((c, i) => (c, i + 1)))
        {
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            Assert.True(cell.GetProperty("outputs").GetArrayLength() == 0, $"{name} cell {i} has outputs: clear them before committing");
            Assert.True(cell.GetProperty("execution_count").ValueKind == JsonValueKind.Null, $"{name} cell {i} has an execution count");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Learning_goals_then_pinned_packages_then_parameters(string name)
    {
        var cells = Cells(name).EnumerateArray().ToArray();
        Assert.Equal("markdown", cells[0].GetProperty("cell_type").GetString());
        Assert.Contains("**Learning goals.**", Source(cells[0]));
        Assert.Contains("**Prerequisites.**", Source(cells[0]));

        var pinned = Source(cells[1]);
        var packages = Regex.Matches(pinned, @"^#r ""nuget:\s*([^,""]+),\s*([^""]+)""", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim())).Order().ToArray();
        var library = XDocument.Load(Path.Combine(Root, "TinierHar.Lib.csproj")).Descendants("PackageReference")
            .Select(e => ((string)e.Attribute("Include")!, (string)e.Attribute("Version")!)).Order().ToArray();
        Assert.Equal(library, packages);
        Assert.Contains("#r \"../bin/Debug/net10.0/TinierHar.Lib.dll\"", pinned);

        var parameters = cells[2];
        Assert.Contains("parameters", parameters.GetProperty("metadata").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        foreach (var variable in new[] { "Quick", "DataDir", "RunsDir", "FiguresDir" })
            Assert.Matches(new Regex($@"^var {variable} = ", RegexOptions.Multiline), Source(parameters));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_code_cell_is_csharp(string name)
    {
        foreach (var (cell, i) in Cells(name).EnumerateArray().Select((c, i) => (c, i + 1)))
            if (cell.GetProperty("cell_type").GetString() == "code")
                Assert.True(cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString() == "csharp",
                    $"{name} cell {i} is not a C# cell");
    }
}
