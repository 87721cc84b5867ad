// The setup the notebooks share; each notebook's first code cell imports it with `#!import setup.csx`.
// Pinned packages (the versions of TinierHar.Lib.csproj; a test keeps them equal) and the built library: build first
// (`dotnet build`), or run the notebooks with `dotnet run --project cli -- workbook`, which references its own build.
// Runs in the official .NET Interactive kernel (Jupyter `.net-csharp`, VS Code Polyglot Notebooks), in the project's
// kernel (`tinierhar`) and in `tinierhar workbook`.
#r "nuget: TorchSharp-cpu, 0.107.0"
#r "nuget: TorchSharp.PyBridge, 1.4.4"
#r "nuget: FSharp.Core, 10.1.403"
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: Plotly.NET.CSharp, 0.14.0"
#r "nuget: Deedle, 8.1.0"
#r "../bin/Debug/net10.0/TinierHar.Lib.dll"

using System.Text.Encodings.Web;
using Microsoft.DotNet.Interactive.Formatting;
using TinierHar.Analysis;
using TinierHar.Data;
using TinierHar.Efficiency;
using TinierHar.Figures;
using TinierHar.Models;
using TinierHar.Notebooks;
using TinierHar.Studies;
using TinierHar.Training;

// FSharp.Core: Plotly.NET 6, Deedle 8.1 and the library need 10.1; the official .NET Interactive tool ships 10.0 and a
// second FSharp.Core cannot be loaded beside it, so requests for 10.1 get the loaded one (NotebookHost explains).
NotebookHost.UseLoadedFSharpCore();

// Compact outputs: Deedle frames and the library's records (and sequences of them) as tables, in HTML and in text;
// charts and plotly.js as one line of text (their HTML is the interactive chart).
Formatter.Register(typeof(Deedle.Frame<,>), (object value, FormatContext context) =>
{
    Tables.Html(value).WriteTo(context.Writer, HtmlEncoder.Default);
    return true;
}, HtmlFormatter.MimeType);
Formatter.Register(typeof(Deedle.Frame<,>), (object value, FormatContext context) =>
{
    context.Writer.Write(Tables.Text(value));
    return true;
}, PlainTextFormatter.MimeType);
foreach (var record in Tables.RecordTypes())
    foreach (var type in new[] { record, typeof(IEnumerable<>).MakeGenericType(record) })
    {
        Formatter.Register(type, (object value, FormatContext context) =>
        {
            Tables.Html(value).WriteTo(context.Writer, HtmlEncoder.Default);
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.Register(type, (object value, FormatContext context) =>
        {
            context.Writer.Write(Tables.Text(value));
            return true;
        }, PlainTextFormatter.MimeType);
    }
Formatter.Register<InlineFigure>((figure, writer) => writer.Write(figure.Text), PlainTextFormatter.MimeType);
Formatter.Register<PlotlyLibraryOutput>((library, writer) => writer.Write(library.Text), PlainTextFormatter.MimeType);

// plotly.js, once per notebook: every chart below draws with it, offline (no CDN, no require.js).
display(FigureStore.PlotlyLibrary());
