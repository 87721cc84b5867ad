using TinierHar.Figures;

namespace TinierHar.Tests.Kernel;

/// <summary>
/// The inline charts of notebooks executed in three of the four places a reader meets them: the runner's executed copies
/// (<c>tinierhar workbook</c>, folder <c>TINIERHAR_WORKBOOK_OUT</c>) and <c>jupyter nbconvert --execute</c> with the official
/// <c>.net-csharp</c> kernel and with <c>tinierhar</c> (folders under <c>TINIERHAR_JUPYTER_OUT</c>); each goes through
/// <c>nbconvert --to html</c> (the fourth place) and is opened in headless Chromium with no network. Every chart must draw.
/// .ci/run sets both variables after its quick run; elsewhere the test is skipped with the reason.
/// </summary>
public sealed class ExecutedChartsTests
{
    [ExecutedNotebooksFact]
    public async Task Every_chart_of_the_executed_notebooks_draws_offline_after_nbconvert()
    {
        var folders = new List<string> { Environment.GetEnvironmentVariable("TINIERHAR_WORKBOOK_OUT")! };
        var jupyter = Environment.GetEnvironmentVariable("TINIERHAR_JUPYTER_OUT")!;
        folders.Add(Path.Combine(jupyter, ".net-csharp"));
        folders.Add(Path.Combine(jupyter, "tinierhar"));
        var chromium = Chromium.Find(out var note) ?? throw new Xunit.Sdk.XunitException("Chromium not found: " + note);
        var html = Directory.CreateTempSubdirectory("tinierhar-charts-").FullName;
        var problems = new List<string>();
        int charts = 0;
        try
        {
            foreach (var folder in folders)
                foreach (var name in new[] { "01-data-preparation", "04-efficiency-accuracy", "05-edge-deployment" })
                {
                    var notebook = Path.Combine(folder, name + ".ipynb");
                    Assert.True(File.Exists(notebook), $"{notebook} not found: the executed notebooks are missing");
                    var outDir = Path.Combine(html, Path.GetFileName(folder));
                    var convert = JupyterBrowserTests.Run("/usr/bin/jupyter-nbconvert", ["--to", "html", "--output-dir", outDir, notebook], TimeSpan.FromMinutes(5));
                    var file = Path.Combine(outDir, name + ".html");
                    Assert.True(File.Exists(file), $"nbconvert wrote no {file}: {convert}");
                    var counts = await JupyterBrowserTests.OfflineTraceCounts(chromium, file);
                    if (counts.Count == 0) problems.Add($"{notebook}: no inline chart");
                    foreach (var (figure, traces) in counts)
                    {
                        charts++;
                        if (traces <= 0) problems.Add($"{notebook}: chart {figure} drew {(traces < 0 ? "nothing" : "no trace")}");
                    }
                }
        }
        finally { Directory.Delete(html, recursive: true); }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(charts >= 9, $"only {charts} charts in nine executed notebooks");
    }
}

/// <summary>Needs the executed notebooks of a CI run (<c>TINIERHAR_WORKBOOK_OUT</c>, <c>TINIERHAR_JUPYTER_OUT</c>), Debian's
/// nbconvert and Chromium; skipped with the reason where they are absent (CI fails on skips).</summary>
internal sealed class ExecutedNotebooksFactAttribute : FactAttribute
{
    public ExecutedNotebooksFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TINIERHAR_WORKBOOK_OUT")) || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TINIERHAR_JUPYTER_OUT")))
            Skip = "needs TINIERHAR_WORKBOOK_OUT and TINIERHAR_JUPYTER_OUT (the executed notebooks of a workbook and nbconvert run; .ci/run sets them)";
        else if (!File.Exists("/usr/bin/jupyter-nbconvert")) Skip = "Debian's jupyter-nbconvert is not installed";
        else if (Chromium.Find(out _) is null) Skip = "Chromium not found (apt-get install chromium, or TINIERHAR_CHROMIUM)";
    }
}
