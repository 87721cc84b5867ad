using System.Text.Json.Nodes;

namespace TinierHar.Tests.Notebooks;

/// <summary>
/// The size budget (<see cref="OutputBudget"/>) on the workbook's executed notebooks: CI sets
/// <c>TINIERHAR_WORKBOOK_OUT</c> to the quick run's output folder. Without it the checker itself is tested on two
/// synthetic notebooks (one within the budget, one over), so the test never passes having checked nothing.
/// </summary>
public sealed class ExecutedNotebookSizeTests
{
    [Fact]
    public void Executed_notebooks_hold_one_plotly_js_and_at_most_1_MB_beyond_it()
    {
        var folder = Environment.GetEnvironmentVariable("TINIERHAR_WORKBOOK_OUT");
        if (string.IsNullOrEmpty(folder))
        {
            var dir = Directory.CreateTempSubdirectory("tinierhar-budget-").FullName;
            try
            {
                var plotly = "<script>/**\n* plotly.js v2.28.0\n*/" + new string('x', 3_600_000) + "</script>";
                var small = Write(dir, "small.ipynb", plotly, new string('t', 900_000));
                var large = Write(dir, "large.ipynb", plotly, new string('t', 1_100_000));
                var twice = Write(dir, "twice.ipynb", plotly, plotly);
                Assert.Empty(OutputBudget.Problems(small));
                Assert.Contains("bytes of outputs beyond plotly.js", Assert.Single(OutputBudget.Problems(large)));
                var twiceProblems = OutputBudget.Problems(twice);
                Assert.Equal(2, twiceProblems.Count); // the second copy is also over the budget
                Assert.Contains("2 copies of plotly.js", twiceProblems[0]);
            }
            finally { Directory.Delete(dir, recursive: true); }
            return;
        }
        var notebooks = Directory.GetFiles(folder, "*.ipynb");
        Assert.True(notebooks.Length == 5, $"TINIERHAR_WORKBOOK_OUT={folder} holds {notebooks.Length} executed notebooks, expected the workbook's 5");
        var problems = notebooks.SelectMany(OutputBudget.Problems).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    static string Write(string dir, string name, params string[] htmlOutputs)
    {
        var cells = new JsonArray(htmlOutputs.Select(h => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code",
            ["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = h } }),
        }).ToArray());
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, new JsonObject { ["cells"] = cells }.ToJsonString());
        return path;
    }
}
