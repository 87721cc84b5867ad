using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TinierHar.Figures;

namespace TinierHar.Tests.Figures;

/// <summary>What headless Chromium drew for a saved figure page.</summary>
/// <param name="SvgCount">Number of <c>svg.main-svg</c> elements (plotly draws 2–3 per plot).</param>
/// <param name="RenderedTraces">Number of <c>g.trace</c> elements (one per drawn scatter / bar / histogram trace; legend
/// items are <c>g.traces</c>) plus <c>g.hm</c> elements (one per drawn heatmap trace).</param>
/// <param name="ExpectedVisibleTraces">Traces of the figure JSON embedded in the page whose <c>visible</c> is neither
/// false nor "legendonly" (plotly does not draw those in the plot area).</param>
/// <param name="Rendered">The page's <c>Plotly.newPlot</c> promise resolved (<c>body[data-rendered]</c>).</param>
public sealed record BrowserRender(int SvgCount, int RenderedTraces, int ExpectedVisibleTraces, bool Rendered);

/// <summary>Opens a page written by <see cref="FigureStore"/> in headless Chromium and counts what plotly.js drew.</summary>
public static partial class BrowserCheck
{
    public const string MissingChromium =
        "Chromium not found: the browser tests need a headless Chromium. Install Debian's chromium (apt-get install chromium; .ci/run installs it) or set TINIERHAR_CHROMIUM to a Chrome/Chromium executable.";

    [GeneratedRegex("""<script type="application/json" id="figure-json">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex FigureJson();

    [GeneratedRegex(@"<svg\b[^>]*\bclass=""main-svg""")]
    private static partial Regex MainSvg();

    [GeneratedRegex(@"<g\b[^>]*\bclass=""(?:[^""]*\s)?trace(?:\s[^""]*)?""")]
    private static partial Regex TraceGroup();

    [GeneratedRegex(@"<g\b[^>]*\bclass=""hm""")]
    private static partial Regex HeatmapGroup();

    [GeneratedRegex(@"<body\b[^>]*\bdata-rendered=""true""")]
    private static partial Regex RenderedBody();

    /// <summary>The Chromium to use; fails the test with <see cref="MissingChromium"/> when there is none.</summary>
    public static string RequireChromium()
    {
        var chromium = Chromium.Find(out var note);
        if (chromium is null)
            Assert.Fail(MissingChromium + (note is null ? "" : $" ({note})"));
        return chromium!;
    }

    /// <summary>Renders <paramref name="htmlPath"/> (<c>--dump-dom</c> after 10 s of virtual time) and counts plot elements.</summary>
    public static BrowserRender Render(string htmlPath)
    {
        var chromium = RequireChromium();
        var html = File.ReadAllText(htmlPath);
        var match = FigureJson().Match(html);
        Assert.True(match.Success, $"{htmlPath}: no <script id=\"figure-json\"> (not a page written by FigureStore?)");
        var data = JsonNode.Parse(match.Groups[1].Value)!["data"]!.AsArray();
        var expected = data.Count(t => t?["visible"] is not JsonValue v
            || !(v.TryGetValue<bool>(out var b) && !b || v.TryGetValue<string>(out var s) && s == "legendonly"));

        var run = Chromium.Run(chromium, ["--dump-dom", "--virtual-time-budget=10000", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri],
            TimeSpan.FromSeconds(120));
        Assert.False(run.TimedOut, $"Chromium timed out on {htmlPath}");
        Assert.True(run.Stdout.Length > 0, $"Chromium printed no DOM for {htmlPath} (exit code {run.ExitCode}: {run.LastStderrLine})");
        var dom = run.Stdout;
        return new BrowserRender(MainSvg().Count(dom), TraceGroup().Count(dom) + HeatmapGroup().Count(dom), expected, RenderedBody().IsMatch(dom));
    }

    /// <summary>Asserts that the page drew its plot and every visible trace.</summary>
    public static BrowserRender AssertRendersAllVisibleTraces(string htmlPath)
    {
        var r = Render(htmlPath);
        Assert.True(r.Rendered, $"{Path.GetFileName(htmlPath)}: Plotly.newPlot did not finish ({r})");
        Assert.True(r.SvgCount > 0, $"{Path.GetFileName(htmlPath)}: no svg.main-svg ({r})");
        Assert.True(r.ExpectedVisibleTraces > 0, $"{Path.GetFileName(htmlPath)}: the figure has no visible trace ({r})");
        Assert.True(r.ExpectedVisibleTraces == r.RenderedTraces,
            $"{Path.GetFileName(htmlPath)}: {r.RenderedTraces} g.trace elements drawn, {r.ExpectedVisibleTraces} visible traces in the figure ({r})");
        return r;
    }
}

/// <summary>The accuracy-vs-MACs figure of <see cref="FigureSamples.Points"/> (SYNTHETIC F1), saved once per test run.</summary>
internal static class SampleFigure
{
    private static readonly Lazy<string> Html = new(() =>
    {
        // One fixed folder (overwritten by every test run) so that runs do not pile up temp folders.
        var folder = Path.Combine(Path.GetTempPath(), "tinierhar-figures-sample");
        var store = new FigureStore(folder, BrowserCheck.RequireChromium());
        store.Save(EfficiencyFigures.AccuracyVsCost(FigureSamples.Points, CostAxis.Macs, "Macro F1 vs MACs (synthetic F1)"), "04-sample-accuracy-vs-macs");
        return store.SavedFiles.Single(f => f.EndsWith(".html", StringComparison.Ordinal));
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string HtmlPath => Html.Value;
}

public class BrowserTests
{
    [ChromiumFact]
    public void AccuracyVsCostRendersEveryVisibleTrace()
    {
        // Costs are the reference counts; the macro F1 values are SYNTHETIC (see FigureSamples.Points).
        var r = BrowserCheck.AssertRendersAllVisibleTraces(SampleFigure.HtmlPath);
        // First dataset (uschad): 3 models + its Pareto front; dsads' 4 traces hidden behind the dropdown.
        Assert.Equal(4, r.ExpectedVisibleTraces);
    }

    [ChromiumFact]
    public void HeatmapAndBarFiguresRender()
    {
        using var dir = FigureSamples.NewFolder();
        var store = new FigureStore(dir, "/nonexistent/chromium"); // HTML only: BrowserCheck renders it
        var m = new[,] { { 8, 2, 0 }, { 1, 7, 2 }, { 0, 0, 0 } };
        store.Save(TrainingFigures.Confusion(m, ["walk", "sit", "stand"], "confusion"), "confusion");
        store.Save(DataFigures.WindowsPerClass(["walk", "sit"], ["1", "2", "3"], new[,] { { 1, 2, 3 }, { 4, 5, 6 } }, "windows"), "windows");
        Assert.Equal(1, BrowserCheck.AssertRendersAllVisibleTraces(Path.Combine(dir.Path, "confusion.html")).RenderedTraces);
        Assert.Equal(3, BrowserCheck.AssertRendersAllVisibleTraces(Path.Combine(dir.Path, "windows.html")).RenderedTraces);
    }

    [ChromiumFact]
    public void WorkbookFiguresRender()
    {
        var folder = Environment.GetEnvironmentVariable("TINIERHAR_WORKBOOK_FIGURES");
        if (string.IsNullOrEmpty(folder))
        {
            // Not after a workbook run: check the test figure instead, so that this test never passes having checked nothing.
            BrowserCheck.AssertRendersAllVisibleTraces(SampleFigure.HtmlPath);
            return;
        }
        Assert.True(Directory.Exists(folder), $"TINIERHAR_WORKBOOK_FIGURES={folder} is not a folder");
        var pages = Directory.GetFiles(folder, "04-*.html").Order(StringComparer.Ordinal).ToArray();
        Assert.True(pages.Length > 0, $"TINIERHAR_WORKBOOK_FIGURES={folder} holds no 04-*.html (did notebook 04 run and save its figures there?)");
        var failures = new List<string>();
        foreach (var page in pages)
        {
            try { BrowserCheck.AssertRendersAllVisibleTraces(page); }
            catch (Exception e) when (e is Xunit.Sdk.XunitException) { failures.Add(e.Message); }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
