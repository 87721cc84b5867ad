using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace TinierHar.Cli.Workbook;

/// <summary>
/// Turns one submission's kernel events into nbformat 4 outputs: stdout/stderr → <c>stream</c> (consecutive chunks of
/// one stream merged), return value → <c>execute_result</c>, display → <c>display_data</c> (an update replaces the
/// output with the same value id), failure → <c>error</c>.
/// </summary>
public sealed class CellOutputs
{
    readonly Dictionary<string, JsonObject> _displays;
    readonly List<JsonObject> _unbound;
    readonly int _executionCount;

    /// <param name="executionCount">The cell's execution_count, repeated on its execute_result.</param>
    /// <param name="displays">Display outputs by value id, shared by the notebook's cells so that an update in a later
    /// cell replaces the output where the value was first displayed.</param>
    /// <param name="unbound">Display outputs no update has bound yet, shared likewise (see <see cref="Updatable"/>).</param>
    public CellOutputs(int executionCount, Dictionary<string, JsonObject>? displays = null, List<JsonObject>? unbound = null)
    {
        _executionCount = executionCount;
        _displays = displays ?? new(StringComparer.Ordinal);
        _unbound = unbound ?? [];
    }

    /// <summary>The first failure's one-line description (e.g. <c>error CS0103: ...</c>), or null when the cell passed.</summary>
    public string? Error { get; private set; }

    /// <summary>The cell's <c>outputs</c> array, filled as events arrive (put it into the cell before running it).</summary>
    public JsonArray Outputs { get; } = [];

    /// <summary>Adds the outputs of the events, in order.</summary>
    public void AddRange(IEnumerable<KernelEvent> events)
    {
        foreach (var e in events) Add(e);
    }

    /// <summary>Adds one event's output (events without one, such as CommandSucceeded, are ignored).</summary>
    public void Add(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced so: AddStream("stdout", PlainText(so.FormattedValues)); break;
            case StandardErrorValueProduced se: AddStream("stderr", PlainText(se.FormattedValues)); break;
            case ReturnValueProduced rv:
                Outputs.Add(new JsonObject
                {
                    ["output_type"] = "execute_result",
                    ["execution_count"] = _executionCount,
                    ["data"] = Data(rv.FormattedValues),
                    ["metadata"] = new JsonObject(),
                });
                break;
            case DisplayedValueUpdated du when du.ValueId is { } id && Updatable(id) is { } shown:
                shown["data"] = Data(du.FormattedValues);
                break;
            case DisplayedValueProduced or DisplayedValueUpdated:
                var display = (DisplayEvent)e;
                var output = new JsonObject { ["output_type"] = "display_data", ["data"] = Data(display.FormattedValues), ["metadata"] = new JsonObject() };
                Outputs.Add(output);
                if (display.ValueId is { } valueId) _displays[valueId] = output;
                if (e is DisplayedValueProduced) _unbound.Add(output);
                break;
            case CommandFailed failed:
                AddError(failed.Exception, failed.Message);
                break;
        }
    }

    /// <summary>
    /// The display output an update with <paramref name="valueId"/> replaces. In Microsoft.DotNet.Interactive
    /// 1.0.0-beta.26120.1 the DisplayedValueProduced of <c>display(x)</c> carries a value id other than the one its
    /// <c>.Update(y)</c> events carry, so an update with an id not seen yet binds to the most recent display that no
    /// update has bound yet (right for the usual <c>var d = display(..); ... d.Update(..)</c>; two displays created before
    /// the first is updated would bind the wrong way round).
    /// </summary>
    JsonObject? Updatable(string valueId)
    {
        if (_displays.TryGetValue(valueId, out var shown))
        {
            _unbound.Remove(shown); // ids that do match (other versions) bind exactly
            return shown;
        }
        if (_unbound.Count == 0) return null;
        var output = _unbound[^1];
        _unbound.RemoveAt(_unbound.Count - 1);
        _displays[valueId] = output;
        return output;
    }

    /// <summary>Adds an <c>error</c> output for a failure that did not come as a kernel event (e.g. an unsupported cell).</summary>
    public void AddError(Exception? exception, string message)
    {
        message = string.IsNullOrWhiteSpace(message) ? exception?.Message ?? "failed" : message.Trim();
        var ename = exception?.GetType().Name ?? (message.Contains("error CS", StringComparison.Ordinal) ? "CompilationError" : "Error");
        var evalue = exception?.Message ?? message;
        var traceback = new JsonArray(message.Split('\n').Select(l => (JsonNode)l.TrimEnd('\r')).ToArray());
        Outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue, ["traceback"] = traceback });
        Error ??= Summarize(exception, message);
    }

    /// <summary>One line for the console: the first compiler error line, else the exception type and message's first line.</summary>
    static string Summarize(Exception? exception, string message)
    {
        var lines = message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var compile = lines.FirstOrDefault(l => l.Contains("error CS", StringComparison.Ordinal));
        if (compile is not null)
        {
            // Roslyn prefixes the position: "(3,1): error CS0103: ..."; keep the code and text.
            var at = compile.IndexOf("error CS", StringComparison.Ordinal);
            return compile[at..];
        }
        if (exception is not null) return $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
        return lines.FirstOrDefault() ?? "failed";
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();

    void AddStream(string name, string text)
    {
        if (text.Length == 0) return;
        if (_lastStream is not null && Outputs.Count > 0 && ReferenceEquals(Outputs[^1], _lastStream) && _lastStreamName == name)
        {
            _lastStreamText += text;
            _lastStream!["text"] = NotebookFile.Lines(_lastStreamText);
            return;
        }
        _lastStream = new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = NotebookFile.Lines(text) };
        (_lastStreamName, _lastStreamText) = (name, text);
        Outputs.Add(_lastStream);
    }

    JsonObject? _lastStream;
    string _lastStreamName = "", _lastStreamText = "";

    static string PlainText(IEnumerable<FormattedValue> values) =>
        (values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType) ?? values.FirstOrDefault())?.Value ?? "";

    static JsonObject Data(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var v in values)
            data[v.MimeType] = v.MimeType.EndsWith("json", StringComparison.Ordinal) && TryParse(v.Value) is { } json
                ? json // nbformat stores JSON mime bundles as JSON, the rest as multi-line strings.
                : NotebookFile.Lines(v.Value ?? "");
        return data;
    }

    static JsonNode? TryParse(string? s)
    {
        try { return s is null ? null : JsonNode.Parse(s); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
