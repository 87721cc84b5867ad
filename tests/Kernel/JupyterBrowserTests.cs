using System.Diagnostics;
using System.Text.Json.Nodes;
using TinierHar.Data;
using TinierHar.Figures;

namespace TinierHar.Tests.Kernel;

/// <summary>
/// Notebook 04 as a person sees it: Debian's <c>jupyter-notebook</c> serves a copy of it with the project's kernel
/// (<c>tinierhar</c>), headless Chromium opens it and runs all cells (Cell &gt; Run All), and the test looks at the page:
/// the efficiency–accuracy charts are drawn inline and the dataset drop-down, clicked with the mouse, switches dataset.
/// Then the notebook as saved from that page goes through <c>jupyter nbconvert --to html</c> and the HTML is opened in
/// Chromium with no network (host names resolve nowhere, file:// URL): every chart must draw its traces.
/// </summary>
/// <remarks>
/// Notebook 04 reads the study folder <c>../results</c> and trains nothing. The copy therefore gets a
/// <c>results/results.csv</c> of five finished quick runs whose macro F1 values are SYNTHETIC (made up
/// for this test; costs are computed by the notebook): uschad with three models, dsads with two, so the drop-down has
/// two entries and each dataset draws a different number of traces (models + its Pareto front: 4 and 3; dsads is
/// shown first).
/// The data folder is an empty temporary folder (no dataset: the notebook's data-free path).
/// </remarks>
public sealed class JupyterBrowserTests
{
    // Guards against a hang, not timing checks. Running the notebook includes the kernel's start (libtorch) and the
    // setup's `#r "nuget:"` restore (seconds on a warm NuGet cache, minutes on a cold one) on a loaded 2-core machine.
    static readonly TimeSpan ServerWait = TimeSpan.FromMinutes(2);
    static readonly TimeSpan PageWait = TimeSpan.FromMinutes(3);
    static readonly TimeSpan RunWait = TimeSpan.FromMinutes(20);
    static readonly TimeSpan DrawWait = TimeSpan.FromMinutes(2);

    const string Notebook = "04-efficiency-accuracy.ipynb";
    const string MacsFigure = "04-efficiency-accuracy-macs";
    const string ParametersFigure = "04-efficiency-accuracy-parameters";

    /// <summary>Five finished quick runs (preset label of <c>StudyPlan.Create(quick: true, …)</c>); macro F1 SYNTHETIC.</summary>
    const string SyntheticResults = """
        dataset,model,variant,preset,seed,fold,accuracy,macro_f1,weighted_f1,epochs,best_epoch,seconds,status
        uschad,tinierhar,full,quick-e2-n2000,1,0,0.61,0.55,0.60,2,2,10.0,done
        uschad,tinyhar,full,quick-e2-n2000,1,0,0.64,0.58,0.63,2,2,10.0,done
        uschad,deepconvlstm,full,quick-e2-n2000,1,0,0.59,0.52,0.58,2,2,10.0,done
        dsads,tinierhar,full,quick-e2-n2000,1,0,0.71,0.66,0.70,2,2,10.0,done
        dsads,tinyhar,full,quick-e2-n2000,1,0,0.73,0.69,0.72,2,2,10.0,done
        """;

    static string Figure(string name) => $"document.querySelector('.tinierhar-figure[data-figure=\"{name}\"]')";

    /// <summary>The <c>g.trace</c> groups plotly drew in a figure's scatter layer (hidden traces draw none).</summary>
    static string DrawnTraces(string name) => $"{Figure(name)}.querySelectorAll('.scatterlayer .trace').length";

    const string NotebookState = """
        (function () {
          var nb = window.Jupyter && Jupyter.notebook;
          if (!nb) return {page: document.title, jupyter: !!window.Jupyter};
          var icon = document.querySelector('#kernel_indicator_icon');
          return {
            kernel: nb.kernel ? nb.kernel.name : null,
            connected: nb.kernel ? nb.kernel.is_connected() : false,
            indicator: icon ? icon.className : null,
            prompts: nb.get_cells().filter(function (c) { return c.cell_type === 'code'; }).map(function (c) { return c.input_prompt_number; }),
            figures: Array.prototype.map.call(document.querySelectorAll('.tinierhar-figure'), function (f) {
              return f.getAttribute('data-figure') + ':' + (f.getAttribute('data-rendered') || 'not drawn') + ':' + f.querySelectorAll('.scatterlayer .trace').length; })
          };
        })()
        """;

    const string ErrorOutputs = """
        Jupyter.notebook.get_cells().map(function (c, i) {
          var outs = c.output_area ? c.output_area.outputs : [];
          return outs.filter(function (o) { return o.output_type === 'error'; })
                     .map(function (o) { return 'cell ' + (i + 1) + ': ' + o.ename + ': ' + o.evalue; });
        }).reduce(function (a, b) { return a.concat(b); }, [])
        """;

    [JupyterBrowserFact]
    public async Task Notebook_04_run_in_jupyter_notebook_draws_its_charts_inline_the_dropdown_switches_dataset_and_its_nbconvert_html_draws_offline()
    {
        var root = Directory.CreateTempSubdirectory("tinierhar-browser-").FullName;
        try
        {
            var notebooks = Path.Combine(root, "notebooks");
            Directory.CreateDirectory(notebooks);
            Directory.CreateDirectory(Path.Combine(root, "results"));
            Directory.CreateDirectory(Path.Combine(root, "data"));
            var source = Path.Combine(DataFolder.RepositoryRoot(AppContext.BaseDirectory), "notebooks");
            File.Copy(Path.Combine(source, "setup.csx"), Path.Combine(notebooks, "setup.csx"));
            // The committed notebook selects the official kernel; choose the project's (Kernel > Change kernel).
            var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(source, Notebook)))!.AsObject();
            nb["metadata"]!["kernelspec"] = new JsonObject { ["name"] = "tinierhar", ["display_name"] = "C# (TinierHar)", ["language"] = "C#" };
            File.WriteAllText(Path.Combine(notebooks, Notebook), nb.ToJsonString());
            File.WriteAllText(Path.Combine(root, "results", "results.csv"), SyntheticResults.ReplaceLineEndings("\n") + "\n");

            var chromium = Chromium.Find(out var note) ?? throw new Xunit.Sdk.XunitException("Chromium not found: " + note);
            using (var server = new NotebookServer(notebooks, new Dictionary<string, string> { ["TINIERHAR_DATA"] = Path.Combine(root, "data") }))
            {
                await server.WaitUntilUpAsync(ServerWait);
                using var page = await HeadlessBrowser.StartAsync(chromium, $"{server.BaseUrl}/notebooks/{Notebook}?token={server.Token}", [], PageWait);
                await page.WaitForAsync("Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", PageWait,
                    "the notebook page did not load or its kernel did not connect", NotebookState);
                var kernel = (await page.EvaluateAsync("Jupyter.notebook.kernel.name"))?.GetValue<string>();
                Assert.True(kernel == "tinierhar", $"the page runs kernel '{kernel}', not the project's 'tinierhar'. Server log:\n{server.Log}");

                // Cell > Run All.
                await page.EvaluateAsync("Jupyter.notebook.execute_all_cells(), true");
                await page.WaitForAsync("""
                    Jupyter.notebook.get_cells().every(function (c) { return c.cell_type !== 'code' || c.input_prompt_number !== '*'; })
                      && document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon')
                    """, RunWait, "Run All did not finish (a cell still shows [*] or the kernel is busy)", NotebookState);
                var errors = (await page.EvaluateAsync(ErrorOutputs))!.AsArray().Select(e => e!.GetValue<string>()).ToList();
                Assert.True(errors.Count == 0, "error outputs after Run All:\n" + string.Join("\n", errors) + "\nserver log:\n" + server.Log);
                var prompts = (await page.EvaluateAsync(
                    "Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; }).map(function (c) { return c.input_prompt_number === null || c.input_prompt_number === undefined ? '' : String(c.input_prompt_number); })"))!
                    .AsArray().Select(p => p!.GetValue<string>()).ToList();
                Assert.True(prompts.All(p => int.TryParse(p, out _)), $"not every code cell ran: prompts [{string.Join(", ", prompts)}]");

                // Both charts drawn inline by plotly.js (loaded by the setup cell's output), with the first dataset's traces.
                await page.WaitForAsync($"{Figure(MacsFigure)}.getAttribute('data-rendered') === 'true' && {Figure(ParametersFigure)}.getAttribute('data-rendered') === 'true'",
                    DrawWait, $"the inline charts {MacsFigure} and {ParametersFigure} were not both drawn", NotebookState);
                // Datasets in results.csv's summary order: dsads first (2 models + its Pareto front), then uschad (3 + front).
                await AssertDrawn(page, MacsFigure, 3);
                await AssertDrawn(page, ParametersFigure, 3);
                Assert.Contains("dsads", (await page.EvaluateAsync($"{Figure(MacsFigure)}.querySelector('.gtitle').textContent"))!.GetValue<string>());
                var before = (await page.EvaluateAsync($"JSON.stringify({Figure(MacsFigure)}._fullData.filter(function (t) {{ return t.visible === true; }}).map(function (t) {{ return t.x; }}))"))!.GetValue<string>();

                // The dataset drop-down, clicked with the mouse: open it, pick "uschad". Hovering the chart shows plotly's
                // mode bar, which must not cover the drop-down.
                var header = await Center(page, $"{Figure(MacsFigure)}.querySelector('.updatemenu-header-group')", "the chart has no drop-down (updatemenu header)");
                await page.HoverAsync(header.X, header.Y);
                var overlap = (await page.EvaluateAsync($$"""
                    (function () {
                      var a = {{Figure(MacsFigure)}}.querySelector('.updatemenu-header-group').getBoundingClientRect();
                      var m = {{Figure(MacsFigure)}}.querySelector('.modebar');
                      if (!m) return 'no mode bar';
                      var b = m.getBoundingClientRect();
                      var hit = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                      return hit ? 'drop-down ' + JSON.stringify(a) + ' under mode bar ' + JSON.stringify(b) : '';
                    })()
                    """))!.GetValue<string>();
                Assert.True(overlap.Length == 0, overlap);
                await page.ClickAsync(header.X, header.Y);
                await page.WaitForAsync($"{Figure(MacsFigure)}.querySelectorAll('.updatemenu-dropdown-button').length >= 2", DrawWait,
                    "clicking the drop-down did not open its list of datasets", $"{Figure(MacsFigure)}.querySelector('.updatemenu-container').outerHTML.slice(0, 2000)");
                var option = await Center(page,
                    $"Array.prototype.filter.call({Figure(MacsFigure)}.querySelectorAll('.updatemenu-dropdown-button'), function (b) {{ return b.textContent.trim() === 'uschad'; }})[0]",
                    "the drop-down lists no 'uschad'");
                await page.ClickAsync(option.X, option.Y);
                await page.WaitForAsync($"{Figure(MacsFigure)}.querySelector('.gtitle').textContent.indexOf('uschad') >= 0", DrawWait,
                    "choosing 'uschad' in the drop-down did not switch the chart's title to uschad", $"{Figure(MacsFigure)}.querySelector('.gtitle').textContent");
                await AssertDrawn(page, MacsFigure, 4); // uschad: 3 models + Pareto front
                var after = (await page.EvaluateAsync($"JSON.stringify({Figure(MacsFigure)}._fullData.filter(function (t) {{ return t.visible === true; }}).map(function (t) {{ return t.x; }}))"))!.GetValue<string>();
                Assert.NotEqual(before, after);
                var hover = (await page.EvaluateAsync($"JSON.stringify({Figure(MacsFigure)}._fullData.filter(function (t) {{ return t.visible === true; }}).map(function (t) {{ return t.text; }}))"))!.GetValue<string>();
                Assert.Contains("dataset: uschad", hover);
                Assert.DoesNotContain("dataset: dsads", hover);

                // Save (File > Save) for nbconvert.
                await page.EvaluateAsync("Jupyter.notebook.save_notebook().then(function () { return true; })");
                await page.WaitForAsync("Jupyter.notebook.dirty === false", PageWait, "the notebook was not saved", NotebookState);
            }

            // The executed notebook (saved from the page) through nbconvert, opened with no network.
            var html = Path.Combine(root, "html");
            var convert = Run("/usr/bin/jupyter-nbconvert", ["--to", "html", "--output-dir", html, Path.Combine(notebooks, Notebook)], TimeSpan.FromMinutes(5));
            var htmlFile = Path.Combine(html, Path.ChangeExtension(Notebook, ".html"));
            Assert.True(File.Exists(htmlFile), $"nbconvert wrote no {htmlFile}: {convert}");
            var counts = await OfflineTraceCounts(chromium, htmlFile);
            Assert.True(counts.Count == 2 && counts.TryGetValue(MacsFigure, out var macs) && macs == 3 && counts[ParametersFigure] == 3,
                $"offline nbconvert HTML: drawn traces per chart {string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"))}; expected {MacsFigure}=3, {ParametersFigure}=3 (dsads shown first)");
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Opens <paramref name="htmlFile"/> in headless Chromium with every host name resolving nowhere (the page's CDN
    /// scripts fail, as offline) and returns, per inline chart (<c>.tinierhar-figure</c>), the traces plotly.js drew;
    /// -1 for a chart that was not drawn within the wait.
    /// </summary>
    internal static async Task<Dictionary<string, int>> OfflineTraceCounts(string chromium, string htmlFile)
    {
        using var page = await HeadlessBrowser.StartAsync(chromium, new Uri(htmlFile).AbsoluteUri, ["--host-resolver-rules=MAP * ~NOTFOUND"], PageWait);
        await page.WaitForAsync("document.readyState === 'complete' && document.querySelectorAll('.tinierhar-figure').length > 0", PageWait,
            $"{Path.GetFileName(htmlFile)} did not load or holds no inline chart (.tinierhar-figure)", "document.readyState");
        try
        {
            await page.WaitForAsync("Array.prototype.every.call(document.querySelectorAll('.tinierhar-figure'), function (f) { return f.getAttribute('data-rendered') === 'true'; })",
                DrawWait, "not every chart drawn");
        }
        catch (Xunit.Sdk.XunitException) { } // reported below, per chart, as -1
        var list = (await page.EvaluateAsync("""
            Array.prototype.map.call(document.querySelectorAll('.tinierhar-figure'), function (f) {
              return [f.getAttribute('data-figure'), f.getAttribute('data-rendered') === 'true' ? f.querySelectorAll('.scatterlayer .trace, g.hm, .barlayer .trace').length : -1]; })
            """))!.AsArray();
        var counts = new Dictionary<string, int>();
        foreach (var item in list)
            counts[item![0]!.GetValue<string>()] = item[1]!.GetValue<int>();
        return counts;
    }

    /// <summary>Asserts that the chart drew <paramref name="expected"/> traces; the message names the visible traces and what was drawn.</summary>
    static async Task AssertDrawn(HeadlessBrowser page, string figure, int expected)
    {
        var drawn = (await page.EvaluateAsync(DrawnTraces(figure)))!.GetValue<int>();
        if (drawn == expected) return;
        var detail = await page.EvaluateAsync($$"""
            JSON.stringify({
              visible: {{Figure(figure)}}._fullData.filter(function (t) { return t.visible === true; }).map(function (t) { return t.name + ' (' + t.type + ', ' + t.x.length + ' points)'; }),
              drawn: Array.prototype.map.call({{Figure(figure)}}.querySelectorAll('g.trace'), function (g) { return g.getAttribute('class') + ' in ' + g.parentNode.getAttribute('class'); })
            })
            """);
        Assert.Fail($"{figure}: {drawn} traces drawn in .scatterlayer, expected {expected}: {detail}");
    }

    static async Task<(double X, double Y)> Center(HeadlessBrowser page, string element, string missing)
    {
        var rect = await page.EvaluateAsync($$"""
            (function () {
              var e = {{element}};
              if (!e) return null;
              e.scrollIntoView({block: 'center'});
              var r = e.getBoundingClientRect();
              return [r.left + r.width / 2, r.top + r.height / 2, r.width, r.height];
            })()
            """);
        Assert.True(rect is JsonArray { Count: 4 }, missing);
        var a = rect!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.True(a[2] > 0 && a[3] > 0, $"{missing} (zero-size element)");
        return (a[0], a[1]);
    }

    internal static string Run(string file, string[] args, TimeSpan wait)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(wait))
        {
            p.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} did not finish within {wait.TotalMinutes:0} min");
        }
        return $"exit code {p.ExitCode}: {stdout.Result}{stderr.Result}";
    }
}
