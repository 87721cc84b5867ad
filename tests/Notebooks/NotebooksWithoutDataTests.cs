using System.Globalization;
using System.Text.Json;
using TinierHar.Data;
using TinierHar.Tests.Data;
using TinierHar.Tests.Cli;

namespace TinierHar.Tests.Notebooks;

/// <summary>
/// The real notebooks through <c>tinierhar workbook</c> with an empty data folder: every notebook passes, the cells that
/// need a dataset are skipped with a note, and the rest (model anatomy, the reference checkpoint against its golden
/// logits, cost tables, the paper's reduction ratios, the export of a committed fold, footprint, latency) runs. CI also runs the whole workbook on the real datasets.
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
            Assert.Contains("5 passed, 0 failed", output);
            foreach (var nb in new[] { "01-data-preparation", "02-training-tinierhar-vs-baselines", "03-ablations" })
                Assert.Matches($@"(?m)^{nb}\s+passed\s+\d+ cells\s+\d+\.\d s\s+\(\d+ cell\(s\) skipped: no dataset present\)", output);

            var executed02 = File.ReadAllText(Path.Combine(root, "out", "02-training-tinierhar-vs-baselines.ipynb"));
            // Notebook 02 looks for the reference checkpoint at its ReferenceDir, ../shared/reference/tinierhar-mhealth
            // beside the repository (optional): there the golden check runs and passes; without it the cell says so.
            var checkpoint = Path.GetFullPath(Path.Combine(TestPaths.Repository, "..", "shared", "reference", "tinierhar-mhealth"));
            if (Directory.Exists(checkpoint))
            {
                Assert.Contains("MaxAbsDifference", executed02);   // the golden check ran and is shown as a table
                Assert.Matches(@"<th>Passed</th>.*th-text\\"">True<", executed02);
            }
            else
                Assert.Contains("No reference checkpoint at " + checkpoint, executed02);
            var executed04 = File.ReadAllText(Path.Combine(root, "out", "04-efficiency-accuracy.ipynb"));
            // The reduction ratios cell computed its table: its output holds the mean over the datasets of the
            // per-dataset ratios, recomputed here from the reference's efficiency.csv (the paper's 43.3 is also in a
            // markdown cell the runner copies, so it proves nothing).
            var ratiosOutput = CodeCellOutputs(executed04, "ReductionRatios.Compute(");
            foreach (var mean in MeanRatiosFromEfficiencyCsv())
                Assert.Contains(mean.ToString("F3", CultureInfo.InvariantCulture), ratiosOutput);
            // Notebook 04 needs no dataset: its charts and takeaways come from the committed study (results/).
            Assert.Matches(@"(?m)^04-efficiency-accuracy\s+passed\s+\d+ cells\s+\d+\.\d s$", output);
            Assert.DoesNotContain("skipped by tinierhar workbook", executed04);
            Assert.Contains("data-figure=\\\"04-efficiency-accuracy-macs\\\"", executed04);
            Assert.False(Directory.Exists(Path.Combine(root, "runs", "uschad")));
            // Notebook 05 exports the committed fold and measures what needs no data; its two test-window cells are skipped.
            Assert.Matches(@"(?m)^05-edge-deployment\s+passed\s+\d+ cells\s+\d+\.\d s\s+\(2 cell\(s\) skipped: no dataset present\)", output);
            var executed05 = File.ReadAllText(Path.Combine(root, "out", "05-edge-deployment.ipynb"));
            Assert.Contains("TINIERHAR_CLASSES 12", CodeCellOutputs(executed05, "RunExport.Export(source")); // the HAPT fold's header
            Assert.Contains("data-figure=\\\"05-footprint\\\"", executed05);
            Assert.Contains("data-figure=\\\"05-latency\\\"", executed05);
            Assert.Contains("TinierHAR float32 fits the 1 MB flash / 256 KB SRAM MCU on all 14 datasets", CodeCellOutputs(executed05, "EdgeDeployment.Takeaways("));
            foreach (var file in new[] { "tinierhar.c", "tinierhar.h" })
                Assert.True(File.Exists(Path.Combine(root, "runs", "export", "hapt-tinierhar-fold0", "c", file)), file);
            Assert.True(File.Exists(Path.Combine(root, "runs", "export", "hapt-tinierhar-fold0", "onnx", "tinierhar.onnx")));
            foreach (var executed in Directory.GetFiles(Path.Combine(root, "out"), "*.ipynb"))
                Assert.Empty(OutputBudget.Problems(executed));
            Assert.Contains("plotly.js v", File.ReadAllText(Path.Combine(root, "out", "01-data-preparation.ipynb"))); // once per notebook, for its charts
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The outputs (raw JSON) of the one code cell whose source contains <paramref name="code"/>.</summary>
    static string CodeCellOutputs(string notebookJson, string code)
    {
        using var doc = JsonDocument.Parse(notebookJson);
        static string Source(JsonElement cell) => cell.GetProperty("source") is { ValueKind: JsonValueKind.Array } lines
            ? string.Concat(lines.EnumerateArray().Select(l => l.GetString()))
            : cell.GetProperty("source").GetString()!;
        var cell = Assert.Single(doc.RootElement.GetProperty("cells").EnumerateArray(),
            c => c.GetProperty("cell_type").GetString() == "code" && Source(c).Contains(code, StringComparison.Ordinal));
        var outputs = cell.GetProperty("outputs");
        Assert.True(outputs.GetArrayLength() > 0, $"the cell with {code} has no output");
        return outputs.GetRawText();
    }

    /// <summary>Mean over the datasets of baseline/TinierHAR: parameters TinyHAR, DeepConvLSTM, then MACs TinyHAR, DeepConvLSTM.</summary>
    static double[] MeanRatiosFromEfficiencyCsv()
    {
        var rows = File.ReadLines(TestPaths.EfficiencyCsv).Skip(1).Select(l => l.Split(','))
            .Select(f => (Dataset: f[0], Model: f[1], Params: double.Parse(f[5], CultureInfo.InvariantCulture), Macs: double.Parse(f[6], CultureInfo.InvariantCulture)))
            .ToLookup(r => r.Dataset);
        double Mean(string baseline, bool macs) => rows.Average(d =>
        {
            var b = d.Single(r => r.Model == baseline);
            var t = d.Single(r => r.Model == "TinierHAR");
            return macs ? b.Macs / t.Macs : b.Params / t.Params;
        });
        Assert.Equal(14, rows.Count);
        return [Mean("TinyHAR", false), Mean("DeepConvLSTM", false), Mean("TinyHAR", true), Mean("DeepConvLSTM", true)];
    }
}
