using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Plotly.NET;

namespace TinierHar.Figures;

/// <summary>
/// Saves workbook figures: <c>&lt;dir&gt;/&lt;name&gt;.html</c> (self-contained, plotly.js embedded, works offline) and,
/// when a Chromium is found, <c>&lt;dir&gt;/&lt;name&gt;.png</c> rendered headless. Returns HTML for inline display in a
/// notebook (plotly.js from its CDN there). PNG problems never throw: they are reported in <see cref="PngNote"/>.
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
    public IHtmlContent Save(GenericChart chart, string name, int width = 900, int height = 500)
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

        var caption = new StringBuilder("<div style=\"font-size:smaller;color:#555;margin-top:2px\">Saved ");
        caption.Append("<code>").Append(WebUtility.HtmlEncode(htmlPath)).Append("</code>");
        if (pngWritten)
            caption.Append(" and <code>").Append(WebUtility.HtmlEncode(pngPath)).Append("</code>");
        else if (PngNote is not null)
            caption.Append("; ").Append(WebUtility.HtmlEncode(PngNote));
        caption.Append("</div>");
        return new HtmlString(InlineHtml(figureJson) + caption);
    }

    /// <summary>Inline HTML of a chart for notebooks (a div and a script loading plotly.js from its CDN); writes nothing.</summary>
    public static IHtmlContent Inline(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return new HtmlString(InlineHtml(GenericChart.toFigureJson(chart)));
    }

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

    private static string InlineHtml(string figureJson)
    {
        var id = "tinierhar-" + Guid.NewGuid().ToString("N");
        var cdn = $"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min";
        return $$"""
            <div id="{{id}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{ScriptSafe(figureJson)}};
              var draw = function (Plotly) { Plotly.newPlot('{{id}}', figure.data, figure.layout, {responsive: true, displaylogo: false}); };
              if (typeof window.Plotly !== 'undefined') { draw(window.Plotly); return; }
              if (typeof window.requirejs === 'function' && typeof window.requirejs.config === 'function') {
                window.requirejs.config({ paths: { plotly: '{{cdn}}' } });
                window.requirejs(['plotly'], function (Plotly) { window.Plotly = Plotly; draw(Plotly); });
                return;
              }
              var s = document.createElement('script');
              s.src = '{{cdn}}.js';
              s.onload = function () { draw(window.Plotly); };
              document.head.appendChild(s);
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

/// <summary>Finding and running a headless Chromium (shared by <see cref="FigureStore"/> and the browser tests).</summary>
public static class Chromium
{
    /// <summary>Flags that work on a closed network and as root.</summary>
    public static readonly IReadOnlyList<string> BaseFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    /// <summary>Result of one Chromium run.</summary>
    public sealed record RunResult(int ExitCode, bool TimedOut, string Stdout, string Stderr)
    {
        public string LastStderrLine => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
    }

    /// <summary>Message used when no Chromium is found.</summary>
    public const string MissingMessage = "no Chromium found (install Debian's chromium or set TINIERHAR_CHROMIUM)";

    /// <summary>
    /// The Chromium to use: <c>TINIERHAR_CHROMIUM</c>, <c>/usr/bin/chromium</c>, then chromium, chromium-browser,
    /// google-chrome, google-chrome-stable on PATH; null (and a one-line <paramref name="note"/>) when none is found.
    /// </summary>
    public static string? Find(out string? note)
    {
        note = null;
        var env = Environment.GetEnvironmentVariable("TINIERHAR_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(env))
        {
            if (File.Exists(env)) return Path.GetFullPath(env);
            note = $"PNG skipped: TINIERHAR_CHROMIUM={env} does not exist";
            return null;
        }
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var exe in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, exe);
                if (File.Exists(candidate)) return candidate;
            }
        note = "PNG skipped: " + MissingMessage;
        return null;
    }

    /// <summary>Runs Chromium headless with <see cref="BaseFlags"/>, a fresh profile folder (deleted after) and <paramref name="arguments"/>.</summary>
    public static RunResult Run(string chromium, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var profile = Path.Combine(Path.GetTempPath(), "tinierhar-chromium-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(profile);
        try
        {
            var psi = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var f in BaseFlags) psi.ArgumentList.Add(f);
            psi.ArgumentList.Add("--user-data-dir=" + profile);
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {chromium}");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            var timedOut = !p.WaitForExit((int)timeout.TotalMilliseconds);
            if (timedOut)
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit(10_000);
            }
            else
            {
                p.WaitForExit(); // drain the redirected streams
            }
            return new RunResult(timedOut ? -1 : p.ExitCode, timedOut,
                stdout.Wait(10_000) ? stdout.Result : "", stderr.Wait(10_000) ? stderr.Result : "");
        }
        finally
        {
            try { System.IO.Directory.Delete(profile, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Minimal PNG reader for the blank-screenshot check (8-bit RGB / RGBA, non-interlaced, as Chromium writes).</summary>
internal static class PngCheck
{
    /// <summary>True when (almost) every pixel equals the first one; null when the PNG kind is not supported.</summary>
    public static bool? Blank(byte[] png)
    {
        var pixels = Decode(png, out var width, out var height, out var channels);
        if (pixels is null) return null;
        var stride = width * channels;
        var different = 0L;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var o = y * stride + x * channels;
                for (var c = 0; c < Math.Min(channels, 3); c++)
                    if (Math.Abs(pixels[o + c] - pixels[c]) > 8) { different++; break; }
            }
        return different < (long)width * height / 1000;
    }

    /// <summary>Unfiltered pixels (row-major, <paramref name="channels"/> bytes each) or null when unsupported.</summary>
    public static byte[]? Decode(byte[] png, out int width, out int height, out int channels)
    {
        width = height = channels = 0;
        if (png.Length < 33 || png[0] != 0x89 || png[1] != (byte)'P') return null;
        var idat = new MemoryStream();
        var pos = 8;
        int bitDepth = 0, colorType = 0, interlace = 0;
        while (pos + 8 <= png.Length)
        {
            var len = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = pos + 8;
            if (len < 0 || data + len > png.Length) return null;
            if (type == "IHDR")
            {
                width = (png[data] << 24) | (png[data + 1] << 16) | (png[data + 2] << 8) | png[data + 3];
                height = (png[data + 4] << 24) | (png[data + 5] << 16) | (png[data + 6] << 8) | png[data + 7];
                bitDepth = png[data + 8];
                colorType = png[data + 9];
                interlace = png[data + 12];
            }
            else if (type == "IDAT") idat.Write(png, data, len);
            else if (type == "IEND") break;
            pos = data + len + 4;
        }
        channels = colorType switch { 2 => 3, 6 => 4, _ => 0 };
        if (bitDepth != 8 || channels == 0 || interlace != 0 || width <= 0 || height <= 0) return null;
        idat.Position = 0;
        using var z = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        var read = 0;
        int n;
        while (read < raw.Length && (n = z.Read(raw, read, raw.Length - read)) > 0) read += n;
        if (read < raw.Length) return null;
        var outp = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = y * (stride + 1) + 1;
            var dst = y * stride;
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? outp[dst + i - channels] : 0;
                int b = y > 0 ? outp[dst - stride + i] : 0;
                int c = i >= channels && y > 0 ? outp[dst - stride + i - channels] : 0;
                int v = raw[src + i];
                outp[dst + i] = (byte)(filter switch
                {
                    0 => v,
                    1 => v + a,
                    2 => v + b,
                    3 => v + ((a + b) >> 1),
                    4 => v + Paeth(a, b, c),
                    _ => v,
                });
            }
        }
        return outp;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
