using TinierHar.Data;
using TinierHar.Tests.Cli;

namespace TinierHar.Tests.Notebooks;

/// <summary>
/// The real notebooks through <c>tinierhar workbook</c> with an empty data folder: every notebook passes, the cells that
/// need a dataset are skipped with a note, and the rest (model anatomy, the reference checkpoint against its golden
/// logits, cost tables, the paper's reduction ratios) runs. CI also runs the whole workbook on the real datasets.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class NotebooksWithoutDataTests
{
    [Fact]
    public void All_notebooks_pass_without_a_dataset_and_say_what_they_skipped()
    {
        var root = Path.Combine(Path.GetTempPath(), "tinierhar-notebooks-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "data"));
            var (code, output, err) = CliRunner.Run(["workbook", "--notebooks", Path.Combine(DataFolder.RepositoryRoot(AppContext.BaseDirectory), "notebooks"), "--data", Path.Combine(root, "data"), "--out", Path.Combine(root, "out"),
                "--figures", Path.Combine(root, "figures"), "--runs", Path.Combine(root, "runs")]);
            Assert.True(code == 0, output + err);
            Assert.Contains("no datasets found in " + Path.Combine(root, "data"), output);
            Assert.Contains("4 passed, 0 failed", output);
            foreach (var nb in new[] { "01-data-preparation", "02-training-tinierhar-vs-baselines", "03-ablations", "04-efficiency-accuracy" })
                Assert.Matches($@"(?m)^{nb}\s+passed\s+\d+ cells\s+\d+\.\d s\s+\(\d+ cell\(s\) skipped: no dataset present\)", output);

            var executed02 = File.ReadAllText(Path.Combine(root, "out", "02-training-tinierhar-vs-baselines.ipynb"));
            Assert.Contains("MaxAbsDifference", executed02);   // the golden check ran and is shown as a table
            Assert.Matches(@"<th>Passed</th>.*th-text\\"">True<", executed02);
            var executed04 = File.ReadAllText(Path.Combine(root, "out", "04-efficiency-accuracy.ipynb"));
            Assert.Contains("43.3", executed04);                // the reduction ratios table with the paper's claims
            Assert.Contains("skipped by tinierhar workbook: no dataset present", executed04);
            Assert.False(Directory.Exists(Path.Combine(root, "runs", "uschad")));
            foreach (var executed in Directory.GetFiles(Path.Combine(root, "out"), "*.ipynb"))
                Assert.Empty(OutputBudget.Problems(executed));
            Assert.Contains("plotly.js v", File.ReadAllText(Path.Combine(root, "out", "01-data-preparation.ipynb"))); // once per notebook, for its charts
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
