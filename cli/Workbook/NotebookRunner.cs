using System.Text.RegularExpressions;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Formatting;

namespace TinierHar.Cli.Workbook;

/// <summary>
/// Runs one notebook headless in a fresh in-process C# kernel and writes the executed copy (nbformat 4, also when a
/// cell fails or the run is cancelled). Code cells run in order with the notebook's folder as current directory;
/// markdown cells are copied as they are; the first failing cell stops the notebook.
/// </summary>
public static partial class NotebookRunner
{
    /// <summary>Tag of the cell that declares the parameters (papermill's convention).</summary>
    public const string ParametersTag = "parameters";

    /// <summary>Tag of the cell the runner inserts after it with the overrides.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Tag of cells that need a dataset: the workbook command skips them when the data folder holds none.</summary>
    public const string NeedsDataTag = "needs-data";

    /// <summary>
    /// Runs <paramref name="ipynbPath"/>, injecting those of <paramref name="parameters"/> that its parameters cell declares (name → value, see
    /// <see cref="CSharpLiteral"/>) after the cell tagged "parameters", and writes the executed notebook to
    /// <paramref name="outputPath"/> atomically.
    /// </summary>
    /// <param name="onCell">Called before each code cell runs with (1-based index among all source cells, code cell number).</param>
    /// <param name="skip">Cells carrying one of these tags are not run: their output is one line saying why
    /// (<paramref name="skipReason"/>), and the notebook can still pass.</param>
    /// <param name="skipReason">Why tagged cells are skipped, e.g. "no dataset present".</param>
    /// <exception cref="TinierHarException">The file is not a readable notebook.</exception>
    public static async Task<NotebookResult> RunAsync(
        string ipynbPath,
        IReadOnlyDictionary<string, object?> parameters,
        string outputPath,
        CancellationToken cancellationToken = default,
        Action<int, int>? onCell = null,
        IReadOnlySet<string>? skip = null,
        string skipReason = "skipped")
    {
        var clock = Stopwatch.StartNew();
        var name = Path.GetFileNameWithoutExtension(ipynbPath);
        var notebook = NotebookFile.Load(ipynbPath);
        var plan = Plan(notebook, parameters, out var injected);
        var defaultKernel = notebook.DefaultKernelName;
        var sourceCells = plan.Count(p => p.SourceIndex > 0);

        // Cells not reached keep no outputs from an earlier run of the source.
        foreach (var step in plan.Where(p => p.IsCode))
        {
            step.Cell["outputs"] = new JsonArray();
            step.Cell["execution_count"] = null;
        }

        int skipped = 0;
        NotebookResult Result(bool passed, Step? failed = null, string? error = null, bool cancelled = false) =>
            new(name, passed, sourceCells, failed?.SourceIndex, failed?.CodeIndex, error, clock.Elapsed, cancelled, injected, skipped);

        var previousDirectory = Environment.CurrentDirectory;
        // Formatters are process-wide: those registered by the previous notebook are not this notebook's. Values are
        // formatted as HTML and plain text, so the executed notebook reads in any viewer.
        Formatter.ResetToDefault();
        Formatter.SetPreferredMimeTypesFor(typeof(object), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        var kernel = CSharpKernelHost.Create();
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetFullPath(ipynbPath))!;
            var displays = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var unbound = new List<JsonObject>();
            int executionCount = 0;
            foreach (var step in plan.Where(p => p.IsCode))
            {
                var tag = skip is null ? null : NotebookFile.Tags(step.Cell).FirstOrDefault(skip.Contains);
                if (tag is not null)
                {
                    step.Cell["outputs"] = new JsonArray(new JsonObject
                    {
                        ["output_type"] = "stream",
                        ["name"] = "stdout",
                        ["text"] = new JsonArray($"skipped by tinierhar workbook: {skipReason} (cell tagged {tag})\n"),
                    });
                    skipped++;
                    continue;
                }
                var outputs = new CellOutputs(++executionCount, displays, unbound);
                step.Cell["outputs"] = outputs.Outputs;
                step.Cell["execution_count"] = executionCount;
                onCell?.Invoke(step.SourceIndex, step.CodeIndex);

                var source = Prepare(step.Cell, defaultKernel, out var languageError);
                if (languageError is not null)
                {
                    outputs.AddError(null, languageError);
                    return Result(false, step, outputs.Error);
                }

                try
                {
                    // Cancellation (Ctrl+C) goes to the kernel; a cell that ignores it is left behind (the process exits).
                    var result = await kernel.SendAsync(new SubmitCode(source), cancellationToken).ConfigureAwait(false);
                    outputs.AddRange(result.Events);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    outputs.AddError(new OperationCanceledException("cancelled (Ctrl+C)"), "cancelled (Ctrl+C)");
                    return Result(false, step, "cancelled (Ctrl+C)", cancelled: true);
                }
                catch (Exception e)
                {
                    outputs.AddError(e, e.Message); // a kernel fault, not a cell error: still this notebook's failure only
                }
                if (outputs.Error is not null) return Result(false, step, outputs.Error);
                if (cancellationToken.IsCancellationRequested) return Result(false, step, "cancelled (Ctrl+C) after this cell", cancelled: true);
            }
            return Result(true);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            try { kernel.Dispose(); } catch (Exception) { /* a kernel that fails to dispose must not lose the notebook */ }
            notebook.Save(outputPath);
        }
    }

    /// <summary>One cell to copy or run.</summary>
    /// <param name="SourceIndex">1-based index among the source notebook's cells (0 for the injected cell).</param>
    /// <param name="CodeIndex">1-based index among the source's code cells (0 for the injected cell and markdown).</param>
    sealed record Step(JsonObject Cell, int SourceIndex, int CodeIndex, bool IsCode);

    /// <summary>The cells in run order, with the injected-parameters cell (replacing any left from an earlier run).</summary>
    static List<Step> Plan(NotebookFile notebook, IReadOnlyDictionary<string, object?> parameters, out bool injected)
    {
        var cells = notebook.Cells;
        for (int i = cells.Count - 1; i >= 0; i--)
            if (NotebookFile.Tags(cells[i]!.AsObject()).Contains(InjectedTag)) cells.RemoveAt(i);

        var steps = new List<Step>();
        int code = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            var c = cells[i]!.AsObject();
            var isCode = c["cell_type"]?.GetValue<string>() == "code";
            steps.Add(new Step(c, i + 1, isCode ? ++code : 0, isCode));
        }

        injected = false;
        var at = steps.FindIndex(s => s.IsCode && NotebookFile.Tags(s.Cell).Contains(ParametersTag));
        if (at < 0) return steps;
        // Only the parameters the cell declares: a notebook without e.g. StudyDir keeps running (C# needs a declaration).
        var declared = NotebookFile.Source(steps[at].Cell);
        var mine = parameters.Where(p => Regex.IsMatch(declared, $@"(?m)^\s*[\w<>?\[\], ]+\s+{Regex.Escape(p.Key)}\s*=")).ToList();
        if (mine.Count == 0) return steps;
        var source = "// Parameters injected by 'tinierhar workbook'.\n" + CSharpLiteral.Assignments(mine);
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject
            {
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                ["tags"] = new JsonArray(InjectedTag),
            },
            ["outputs"] = new JsonArray(),
            ["source"] = NotebookFile.Lines(source),
        };
        if (steps[at].Cell.ContainsKey("id")) cell["id"] = "injected-parameters"; // nbformat 4.5 cells carry ids
        cells.Insert(cells.IndexOf(steps[at].Cell) + 1, cell);
        steps.Insert(at + 1, new Step(cell, 0, 0, true));
        injected = true;
        return steps;
    }

    static readonly string[] CSharpNames = ["csharp", "c#", "cs"];
    static readonly string[] KernelSwitches = ["fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "sql", "kql", "mermaid", "http", "value"];

    /// <summary>The code to submit (library reference rewritten, a leading <c>#!csharp</c> dropped), or a language error.</summary>
    static string Prepare(JsonObject cell, string defaultKernel, out string? languageError)
    {
        languageError = null;
        var kernelName = NotebookFile.KernelName(cell, defaultKernel);
        if (!CSharpNames.Contains(kernelName, StringComparer.OrdinalIgnoreCase))
        {
            languageError = $"only C# cells are supported; this cell's kernel is '{kernelName}'";
            return "";
        }
        var source = NotebookFile.Source(cell);
        var firstLine = source.Split('\n')[0].Trim();
        if (firstLine.StartsWith("#!", StringComparison.Ordinal))
        {
            var magic = firstLine[2..].Trim();
            if (CSharpNames.Contains(magic, StringComparer.OrdinalIgnoreCase))
                source = source.Contains('\n') ? source[(source.IndexOf('\n') + 1)..] : "";
            else if (KernelSwitches.Contains(magic, StringComparer.OrdinalIgnoreCase))
            {
                languageError = $"only C# cells are supported; this cell switches to '#!{magic}'";
                return "";
            }
        }
        source = ExpandImports(source, out languageError);
        return languageError is null ? LibraryReference.Rewrite(source) : "";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[ \t]*#!import[ \t]+(?:""(?<path>[^""\r\n]+)""|(?<path>\S+))[ \t]*\r?$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex ImportLine();

    /// <summary>
    /// Replaces each <c>#!import FILE.csx</c> line (the notebooks' shared setup) by the file's text, read relative to
    /// the current directory (the notebook's folder), as dotnet-interactive's <c>#!import</c> runs it: one C# submission
    /// in the same kernel. Other file types are an error naming the file.
    /// </summary>
    internal static string ExpandImports(string source, out string? error)
    {
        string? failure = null;
        var expanded = ImportLine().Replace(source, m =>
        {
            var path = m.Groups["path"].Value;
            if (!path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                failure ??= $"#!import {path}: only C# files (.csx, .cs) can be imported here";
                return "";
            }
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                failure ??= $"#!import {path}: file not found ({full})";
                return "";
            }
            return File.ReadAllText(full).TrimEnd();
        });
        error = failure;
        return expanded;
    }
}
