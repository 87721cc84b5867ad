using System.Text.Json.Nodes;
using TinierHar.Cli.Workbook;

namespace TinierHar.Tests.Workbook;

/// <summary><see cref="NotebookFile"/>: reading, writing back unchanged, cell helpers (no kernel).</summary>
public sealed class NotebookFileTests
{
    [Fact]
    public void Round_trip_keeps_metadata_and_tags()
    {
        using var tmp = new WorkbookFixtures();
        var notebook = NotebookFile.Load(WorkbookFixtures.Source("passing"));
        var copy = Path.Combine(tmp.Root, "copy.ipynb");
        notebook.Save(copy);
        var before = JsonNode.Parse(File.ReadAllText(WorkbookFixtures.Source("passing")));
        var after = JsonNode.Parse(File.ReadAllText(copy));
        Assert.True(JsonNode.DeepEquals(before, after));
        Assert.Equal(".net-csharp", after!["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", notebook.DefaultKernelName);
        Assert.Equal(["parameters"], NotebookFile.Tags(notebook.Cells[2]!.AsObject()));
        Assert.Empty(Directory.GetFiles(tmp.Root, "*.tmp"));
    }

    [Fact]
    public void Cell_helpers()
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "fsharp" } },
            ["source"] = new JsonArray("a\n", "b"),
        };
        Assert.Equal("a\nb", NotebookFile.Source(cell));
        Assert.Equal("fsharp", NotebookFile.KernelName(cell, "csharp"));
        Assert.Equal("csharp", NotebookFile.KernelName(new JsonObject { ["source"] = "x" }, "csharp"));
        Assert.Equal("x", NotebookFile.Source(new JsonObject { ["source"] = "x" }));
        Assert.Equal(new[] { "a\n", "\n", "b" }, NotebookFile.Lines("a\n\nb").Select(l => l!.GetValue<string>()));
        Assert.Empty(NotebookFile.Lines(""));
    }

    [Fact]
    public void Not_a_notebook_names_the_file()
    {
        using var tmp = new WorkbookFixtures();
        var path = Path.Combine(tmp.Root, "x.ipynb");
        File.WriteAllText(path, "{\"nbformat\": 4}");
        var e = Assert.Throws<TinierHarException>(() => NotebookFile.Load(path));
        Assert.Contains("x.ipynb", e.Message);
        Assert.Contains("cells", e.Message);
    }
}
