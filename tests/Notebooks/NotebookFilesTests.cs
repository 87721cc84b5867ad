using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using TinierHar.Data;

namespace TinierHar.Tests.Notebooks;

/// <summary>
/// The committed notebooks in <c>notebooks/</c>: numbered, no outputs, learning goals first, then the setup cell
/// (the built library and the shared <c>setup.csx</c>), then one parameters cell the runner can override.
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
    public void The_five_notebooks_are_numbered_in_reading_order()
    {
        var names = Directory.GetFiles(Folder, "*.ipynb").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "01-data-preparation.ipynb", "02-training-tinierhar-vs-baselines.ipynb", "03-ablations.ipynb", "04-efficiency-accuracy.ipynb", "05-edge-deployment.ipynb" }, names);
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
    public void Learning_goals_then_the_shared_setup_then_parameters(string name)
    {
        var cells = Cells(name).EnumerateArray().ToArray();
        Assert.Equal("markdown", cells[0].GetProperty("cell_type").GetString());
        Assert.Contains("**Learning goals.**", Source(cells[0]));
        Assert.Contains("**Prerequisites.**", Source(cells[0]));

        // One setup: the cell imports setup.csx; no package pinned, library referenced or formatter registered in a notebook.
        var setup = Source(cells[1]);
        var directives = setup.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('#')).ToArray();
        Assert.Equal(new[] { "#!import setup.csx" }, directives);
        Assert.DoesNotContain("Formatter.", setup);
        foreach (var (cell, i) in cells.Select((c, i) => (c, i + 1)))
            Assert.False(Regex.IsMatch(Source(cell), @"(?m)^\s*#r\s"), $"{name} cell {i} references a package or assembly: that belongs in setup.csx");

        var parameters = cells[2];
        Assert.Contains("parameters", parameters.GetProperty("metadata").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        foreach (var variable in new[] { "Quick", "DataDir", "RunsDir", "FiguresDir" })
            Assert.Matches(new Regex($@"^var {variable} = ", RegexOptions.Multiline), Source(parameters));
    }

    [Fact]
    public void The_shared_setup_pins_the_library_packages_and_loads_the_built_library()
    {
        var setup = File.ReadAllText(Path.Combine(Folder, "setup.csx"));
        var packages = Regex.Matches(setup, @"^#r ""nuget:\s*([^,""]+),\s*([^""]+)""", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim())).Order().ToArray();
        var library = XDocument.Load(Path.Combine(Root, "TinierHar.Lib.csproj")).Descendants("PackageReference")
            .Select(e => ((string)e.Attribute("Include")!, (string)e.Attribute("Version")!)).Order().ToArray();
        Assert.Equal(library, packages);
        Assert.Contains("#r \"../bin/Debug/net10.0/TinierHar.Lib.dll\"", setup);
        Assert.Contains("NotebookHost.UseLoadedFSharpCore();", setup);
        Assert.Contains("display(FigureStore.PlotlyLibrary());", setup);
        // The FSharp.Core handler is registered before anything can touch Plotly.NET or Deedle.
        Assert.True(setup.IndexOf("UseLoadedFSharpCore", StringComparison.Ordinal) < setup.IndexOf("Deedle.Frame", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Cells_that_need_a_dataset_say_so_instead_of_failing(string name)
    {
        // Outside `tinierhar workbook` (which skips them) these cells run too: each starts with a guard that returns a
        // message naming what is missing and how to get it.
        foreach (var (cell, i) in Cells(name).EnumerateArray().Select((c, i) => (c, i + 1)))
        {
            if (!cell.GetProperty("metadata").TryGetProperty("tags", out var tags) || !tags.EnumerateArray().Any(t => t.GetString() == "needs-data")) continue;
            var first = Source(cell).Split('\n')[0];
            Assert.True(Regex.IsMatch(first, @"^if \(!plan\.HasData\) return plan\.NoData\("),
                $"{name} cell {i} needs a dataset but does not start with the guard: {first}");
        }
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
