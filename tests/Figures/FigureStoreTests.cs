using TinierHar.Figures;

namespace TinierHar.Tests.Figures;

public class FigureStoreTests
{
    private static Plotly.NET.GenericChart SmallChart() =>
        EfficiencyFigures.AccuracyVsCost(FigureSamples.Points.Where(p => p.Dataset == "dsads").ToArray(), CostAxis.Parameters, "test");

    [ChromiumFact]
    public void SavesOfflineHtmlAndPngWithoutLeavingTemporaryFiles()
    {
        using var dir = FigureSamples.NewFolder();
        var store = new FigureStore(dir, BrowserCheck.RequireChromium());
        var inline = store.Save(SmallChart(), "figure-a", 640, 400).ToString()!;
        store.Save(SmallChart(), "figure-a", 640, 400); // overwrite works

        Assert.Equal(["figure-a.html", "figure-a.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([Path.Combine(dir.Path, "figure-a.html"), Path.Combine(dir.Path, "figure-a.png")], store.SavedFiles);
        Assert.Null(store.PngNote);

        var html = File.ReadAllText(Path.Combine(dir.Path, "figure-a.html"));
        Assert.Contains("plotly.js v" + global::Globals.PLOTLYJS_VERSION, html); // the library itself is embedded
        Assert.True(html.Length > 1_000_000, "plotly.js is about 3.6 MB");
        Assert.DoesNotContain("<script src=\"http", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.Contains("\"width\":640", html);

        var png = File.ReadAllBytes(Path.Combine(dir.Path, "figure-a.png"));
        Assert.Equal(0x89, png[0]);
        var pixels = PngPixels(png, out var w, out var h, out var ch);
        Assert.Equal((640, 400), (w, h));
        Assert.False(PngCheck.Blank(png), "the PNG is blank");
        var coloured = Enumerable.Range(0, w * h).Count(i => pixels[ch * i] < 200 || pixels[ch * i + 1] < 200 || pixels[ch * i + 2] < 200);
        Assert.True(coloured > w * h / 200, $"only {coloured} of {w * h} pixels are not near-white");

        // Inline HTML: the chart (drawn with the page's window.Plotly, no CDN) and a caption naming both files.
        Assert.DoesNotContain("https://", inline);
        Assert.Contains("window.Plotly.newPlot", inline);
        Assert.Contains("figure-a.html", inline);
        Assert.Contains("figure-a.png", inline);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData(" padded")]
    [InlineData("what?")]
    public void RejectsNamesThatAreNotPlainFileNames(string name)
    {
        using var dir = FigureSamples.NewFolder();
        var store = new FigureStore(dir, "/nonexistent/chromium");
        var e = Assert.Throws<ArgumentException>(() => store.Save(SmallChart(), name));
        Assert.Contains("figure name", e.Message);
        Assert.Empty(store.SavedFiles);
    }

    [Fact]
    public void PathSeparatorMessageSaysWhatToDo()
    {
        var e = Assert.Throws<ArgumentException>(() => FigureStore.ValidateName("out/04-x"));
        Assert.Contains("path separator", e.Message);
    }

    [Fact]
    public void WithoutChromiumWritesHtmlAndSaysWhyThereIsNoPng()
    {
        using var dir = FigureSamples.NewFolder();
        var store = new FigureStore(dir, "/nonexistent/chromium");
        var inline = store.Save(SmallChart(), "no-png").ToString()!;
        Assert.Equal(["no-png.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.NotNull(store.PngNote);
        Assert.StartsWith("PNG skipped", store.PngNote);
        Assert.Contains("PNG skipped", inline);
    }

    [Fact]
    public void AFailingChromiumSkipsThePngWithoutThrowing()
    {
        using var dir = FigureSamples.NewFolder();
        var store = new FigureStore(dir, "/bin/false");
        store.Save(SmallChart(), "broken");
        Assert.Equal(["broken.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.StartsWith("PNG skipped for broken:", store.PngNote);
        Assert.Equal([Path.Combine(dir.Path, "broken.html")], store.SavedFiles);
    }

    [Fact]
    public void InlineHtmlHasTheFigureAndDrawsWithThePagesPlotlyWithoutNetworkOrRequireJs()
    {
        var figure = FigureStore.Inline(SmallChart(), "small");
        var html = figure.ToString();
        Assert.Contains("<div id=\"tinierhar-", html);
        Assert.Contains("window.Plotly.newPlot", html);
        Assert.DoesNotContain("http", html);
        Assert.DoesNotContain("require", html);
        Assert.Contains("\"type\":\"log\"", html);
        Assert.Contains("jupyter trust", html); // what a reader of an untrusted notebook sees in the chart's place
        Assert.Equal("Figure small (interactive in HTML views)", figure.Text);
    }

    [Fact]
    public void PlotlyLibraryDefinesWindowPlotlyEvenWhereRequireJsIsPresent()
    {
        var library = FigureStore.PlotlyLibrary();
        var writer = new StringWriter();
        library.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        var html = writer.ToString();
        Assert.Contains("plotly.js v" + global::Globals.PLOTLYJS_VERSION, html);
        Assert.Contains("var define, module, exports;", html); // hides AMD/CommonJS from the UMD header
        Assert.Equal(1, html.Split("</script>").Length - 1);   // one script element, not ended early by the library's text
        Assert.DoesNotContain("<script src=", html);
        Assert.StartsWith("plotly.js " + global::Globals.PLOTLYJS_VERSION, library.ToString());
        Assert.True(library.ToString().Length < 200);          // its text/plain form is one line, not the library
    }

    /// <summary>Decodes the PNG with the library's reader (8-bit RGB/RGBA, as Chromium writes).</summary>
    private static byte[] PngPixels(byte[] png, out int width, out int height, out int channels)
    {
        var pixels = PngCheck.Decode(png, out width, out height, out channels);
        Assert.NotNull(pixels);
        Assert.InRange(channels, 3, 4);
        return pixels!;
    }
}
