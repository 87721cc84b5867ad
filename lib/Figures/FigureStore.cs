using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Plotly.NET;

namespace TinierHar.Figures;

/// <summary>
/// Saves workbook figures: <c>&lt;dir&gt;/&lt;name&gt;.html</c> (self-contained, plotly.js embedded, works offline) and,
/// when a Chromium is found, <c>&lt;dir&gt;/&lt;name&gt;.png</c> rendered headless. Returns the interactive chart for
/// inline display in a notebook: it draws with the <c>window.Plotly</c> that <see cref="PlotlyLibrary"/> (displayed once
/// per notebook by <c>notebooks/setup.csx</c>) defines, so it needs no network and no require.js. PNG problems never
/// throw: they are reported in <see cref="PngNote"/>.
/// </summary>
public sealed class FigureStore
{
    /// <summary>Suffix of temporary files (ignored by git); every write goes to one and is then moved into place.</summary>
    internal const string TempSuffix = ".tinierhar-tmp";

    private static readonly Lazy<string> PlotlyJs = new(LoadPlotlyJs);
    private readonly List<string> _saved = [];
    private readonly object _gate = new();

    /// <summary>Folder the figures are written to (created if missing).</summary>
    public string Directory { get; }

    /// <summary>Chromium used for PNGs; null when none was found.</summary>
    public string? ChromiumPath { get; }

    /// <summary>One line when PNGs are (or the last one was) skipped, with the reason; null while all PNGs worked.</summary>
    public string? PngNote { get; private set; }

    /// <summary>Full paths of the files written so far, in order (each once).</summary>
    public IReadOnlyList<string> SavedFiles { get { lock (_gate) return _saved.ToArray(); } }

    /// <param name="directory">Output folder.</param>
    /// <param name="chromiumPath">Chromium executable; null: environment variable <c>TINIERHAR_CHROMIUM</c>, then
    /// <c>/usr/bin/chromium</c>, then chromium, chromium-browser, google-chrome, google-chrome-stable on PATH.</param>
    public FigureStore(string directory, string? chromiumPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        if (chromiumPath is not null)
        {
            ChromiumPath = File.Exists(chromiumPath) ? Path.GetFullPath(chromiumPath) : null;
            if (ChromiumPath is null)
                PngNote = $"PNG skipped: Chromium not found at {chromiumPath}";
        }
        else
        {
            ChromiumPath = Chromium.Find(out var note);
            PngNote = note;
        }
    }

    /// <summary>
    /// Writes <c>&lt;name&gt;.html</c> and (with Chromium) <c>&lt;name&gt;.png</c> of <paramref name="chart"/> at
    /// <paramref name="width"/>×<paramref name="height"/> pixels, and returns the inline HTML plus a caption naming the files.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or not a plain file name (path separators, "..", invalid characters).</exception>
    public InlineFigure Save(GenericChart chart, string name, int width = 900, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ValidateName(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 50);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 50);

        var figureJson = FigureJson(chart, width, height);
        var htmlPath = Path.Combine(Directory, name + ".html");
        var pngPath = Path.Combine(Directory, name + ".png");
        WriteAtomic(htmlPath, Encoding.UTF8.GetBytes(StandalonePage(figureJson, name, width, height)));
        Record(htmlPath);

        var pngWritten = false;
        if (ChromiumPath is not null)
        {
            var error = RenderPng(htmlPath, pngPath, width, height);
            if (error is null)
            {
                pngWritten = true;
                Record(pngPath);
                if (PngNote is not null && PngNote.StartsWith("PNG skipped for ", StringComparison.Ordinal) && PngNote.Contains($" {name}:", StringComparison.Ordinal))
                    PngNote = null;
            }
            else
            {
                TryDelete(pngPath); // a PNG of an older version of the figure would mislead
                PngNote = $"PNG skipped for {name}: {error}";
            }
        }

        var text = $"Saved {htmlPath}" + (pngWritten ? $" and {pngPath}" : PngNote is not null ? $"; {PngNote}" : "");
        var caption = new StringBuilder("<div style=\"font-size:smaller;color:#555;margin-top:2px\">Saved ");
        caption.Append("<code>").Append(WebUtility.HtmlEncode(htmlPath)).Append("</code>");
        if (pngWritten)
            caption.Append(" and <code>").Append(WebUtility.HtmlEncode(pngPath)).Append("</code>");
        else if (PngNote is not null)
            caption.Append("; ").Append(WebUtility.HtmlEncode(PngNote));
        caption.Append("</div>");
        return new InlineFigure(name, InlineHtml(figureJson, name) + caption, $"Figure {name} (interactive in HTML views). {text}");
    }

    /// <summary>Inline HTML of a chart for notebooks (a div and a script drawing it with <c>window.Plotly</c>); writes nothing.</summary>
    public static InlineFigure Inline(GenericChart chart, string name = "chart")
    {
        ArgumentNullException.ThrowIfNull(chart);
        return new InlineFigure(name, InlineHtml(GenericChart.toFigureJson(chart), name), $"Figure {name} (interactive in HTML views)");
    }

    /// <summary>
    /// plotly.js (the version embedded in Plotly.NET, <see cref="PlotlyJsVersion"/>) as one inline script that defines
    /// <c>window.Plotly</c>, whatever module loader the page has: <c>define</c>, <c>module</c> and <c>exports</c> are
    /// hidden from its UMD header, so Jupyter Notebook 6's require.js does not capture it. Display it once per notebook
    /// (the shared setup does) before the first chart; about 3.6 MB. Its text/plain form is one line.
    /// </summary>
    public static PlotlyLibraryOutput PlotlyLibrary() => new(PlotlyJs.Value);

    /// <summary>The plotly.js version embedded in Plotly.NET (and in every saved page).</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a plain file name without extension.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("figure name is empty", nameof(name));
        if (name.Contains('/') || name.Contains('\\'))
            throw new ArgumentException($"figure name '{name}' contains a path separator: give a plain name like '04-accuracy-vs-macs'; the folder is the FigureStore's", nameof(name));
        if (name is "." or ".." || name.StartsWith('.'))
            throw new ArgumentException($"figure name '{name}' must not start with '.'", nameof(name));
        if (name.Trim() != name)
            throw new ArgumentException($"figure name '{name}' has leading or trailing white space", nameof(name));
        var bad = name.Where(c => c < 32 || "<>:\"|?*".Contains(c)).Distinct().ToArray();
        if (bad.Length > 0)
            throw new ArgumentException($"figure name '{name}' contains characters not allowed in file names: {string.Join(" ", bad.Select(c => c < 32 ? $"U+{(int)c:X4}" : c.ToString()))}", nameof(name));
    }

    private void Record(string path)
    {
        lock (_gate)
            if (!_saved.Contains(path)) _saved.Add(path);
    }

    /// <summary>The figure JSON ({data, layout, frames}) with the layout's size set to width × height.</summary>
    internal static string FigureJson(GenericChart chart, int width, int height)
    {
        var node = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        if (node["layout"] is not JsonObject layout)
        {
            layout = new JsonObject();
            node["layout"] = layout;
        }
        layout["width"] = width;
        layout["height"] = height;
        layout["autosize"] = false;
        return node.ToJsonString();
    }

    /// <summary>JSON made safe inside an HTML script element ("&lt;/" cannot end the element).</summary>
    private static string ScriptSafe(string json) => json.Replace("</", "<\\/");

    private static string StandalonePage(string figureJson, string name, int width, int height)
    {
        var sb = new StringBuilder(PlotlyJs.Value.Length + figureJson.Length + 2048);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(WebUtility.HtmlEncode(name)).Append("</title>\n")
          .Append("<style>html,body{margin:0;padding:0;background:#ffffff;overflow:hidden}</style>\n")
          .Append("<!-- plotly.js ").Append(Globals.PLOTLYJS_VERSION).Append(" (MIT license), embedded from the Plotly.NET package so that the page works offline -->\n")
          .Append("<script type=\"text/javascript\">").Append(PlotlyJs.Value).Append("</script>\n")
          .Append("</head>\n<body>\n")
          .Append("<div id=\"chart\" style=\"width:").Append(width).Append("px;height:").Append(height).Append("px\"></div>\n")
          .Append("<script type=\"application/json\" id=\"figure-json\">").Append(ScriptSafe(figureJson)).Append("</script>\n")
          .Append("<script type=\"text/javascript\">\n")
          .Append("var figure = JSON.parse(document.getElementById('figure-json').textContent);\n")
          .Append("// '#png': the page is being rendered to a PNG, so no mode bar\n")
          .Append("var config = {responsive: false, displaylogo: false, displayModeBar: window.location.hash === '#png' ? false : 'hover'};\n")
          .Append("Plotly.newPlot('chart', figure.data, figure.layout, config)")
          .Append(".then(function () { document.body.setAttribute('data-rendered', 'true'); });\n")
          .Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Message shown in a chart's place until plotly.js draws it (or when a viewer strips scripts).</summary>
    internal const string NotDrawnMessage =
        "Interactive chart: it is drawn by plotly.js, loaded by the setup cell at the top of this notebook. If this text stays, " +
        "run the setup cell, or, if the notebook was executed elsewhere and your Jupyter does not run its scripts, trust it " +
        "(Jupyter Notebook 6: File > Trust Notebook, or `jupyter trust FILE.ipynb`). The saved .html/.png below always work.";

    private static string InlineHtml(string figureJson, string name)
    {
        var id = "tinierhar-" + Guid.NewGuid().ToString("N");
        return $$"""
            <div id="{{id}}" class="tinierhar-figure" data-figure="{{WebUtility.HtmlEncode(name)}}" style="font:12px sans-serif;color:#777">{{WebUtility.HtmlEncode(NotDrawnMessage)}}</div>
            <script type="text/javascript">
            (function () {
              var figure = {{ScriptSafe(figureJson)}};
              var tries = 0;
              var draw = function () {
                var el = document.getElementById('{{id}}');
                if (!el) return;
                if (typeof window.Plotly === 'undefined') { if (++tries < 600) setTimeout(draw, 100); return; }
                el.textContent = ''; el.style.color = '';
                window.Plotly.newPlot(el, figure.data, figure.layout, {responsive: true, displaylogo: false})
                  .then(function () { el.setAttribute('data-rendered', 'true'); });
              };
              draw();
            })();
            </script>
            """;
    }

    private static string LoadPlotlyJs()
    {
        var asm = typeof(GenericChart).Assembly;
        var resource = asm.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal) && n.Contains("plotly", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"plotly.js is not embedded in {asm.GetName().Name} (resources: {string.Join(", ", asm.GetManifestResourceNames())})");
        using var stream = asm.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var js = reader.ReadToEnd();
        if (js.Contains("</script", StringComparison.OrdinalIgnoreCase))
            js = js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return js;
    }

    /// <summary>Writes to a temporary file in the same folder, then moves it over <paramref name="path"/>.</summary>
    internal static void WriteAtomic(string path, byte[] bytes)
    {
        var tmp = TempPath(path);
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    private static string TempPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..12] + TempSuffix);

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Renders the saved page to a PNG; returns null on success or the reason of the failure.</summary>
    private string? RenderPng(string htmlPath, string pngPath, int width, int height)
    {
        var tmp = TempPath(pngPath) + ".png"; // Chromium picks the image format from the extension
        try
        {
            var run = Chromium.Run(ChromiumPath!,
                [$"--screenshot={tmp}", $"--window-size={width},{height}", "--hide-scrollbars", "--virtual-time-budget=10000",
                 new Uri(htmlPath).AbsoluteUri + "#png"], TimeSpan.FromSeconds(90));
            if (!File.Exists(tmp) || new FileInfo(tmp).Length == 0)
                return $"Chromium wrote no screenshot (exit code {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}: {run.LastStderrLine})";
            var blank = PngCheck.Blank(File.ReadAllBytes(tmp));
            if (blank == true)
                return "the screenshot is blank (plotly.js did not draw)";
            File.Move(tmp, pngPath, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any Chromium or PNG problem only costs this figure its PNG (reported in PngNote), never the notebook run.
            return $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            TryDelete(tmp);
        }
    }
}

/// <summary>A chart for inline display: its HTML (div, figure JSON, drawing script, caption) and a one-line text form.</summary>
public sealed class InlineFigure : IHtmlContent
{
    internal InlineFigure(string name, string html, string text)
    {
        Name = name;
        Html = html;
        Text = text;
    }

    /// <summary>The figure's name (the saved files' base name).</summary>
    public string Name { get; }

    /// <summary>The inline HTML.</summary>
    public string Html { get; }

    /// <summary>One line for text/plain outputs: the figure and the files it was saved to.</summary>
    public string Text { get; }

    /// <inheritdoc/>
    public void WriteTo(TextWriter writer, System.Text.Encodings.Web.HtmlEncoder encoder) => writer.Write(Html);

    /// <summary>The HTML (as <see cref="HtmlString"/> does); <see cref="Text"/> is the plain form.</summary>
    public override string ToString() => Html;
}

/// <summary>plotly.js as an inline script (see <see cref="FigureStore.PlotlyLibrary"/>).</summary>
public sealed class PlotlyLibraryOutput : IHtmlContent
{
    readonly string _js;

    internal PlotlyLibraryOutput(string js) => _js = js;

    /// <summary>One line for text/plain outputs.</summary>
    public string Text => $"plotly.js {Globals.PLOTLYJS_VERSION} loaded (embedded, offline) for this notebook's interactive charts";

    /// <inheritdoc/>
    public void WriteTo(TextWriter writer, System.Text.Encodings.Web.HtmlEncoder encoder)
    {
        writer.Write("<div style=\"font-size:smaller;color:#555\">");
        writer.Write(WebUtility.HtmlEncode(Text));
        writer.Write("</div>\n<script type=\"text/javascript\">\n(function () {\n");
        writer.Write("if (typeof window.Plotly !== 'undefined' && window.Plotly.version === '" + Globals.PLOTLYJS_VERSION + "') return;\n");
        writer.Write("var define, module, exports; // no AMD or CommonJS: the library defines window.Plotly\n");
        writer.Write(_js);
        writer.Write("\n}).call(window);\n</script>\n");
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
