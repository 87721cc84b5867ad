using System.Text.Json;
using System.Text.Json.Nodes;

namespace TinierHar.Cli.Workbook;

/// <summary>
/// An nbformat 4 notebook (<c>.ipynb</c>) held as a JSON tree, so every field the runner does not touch (notebook
/// metadata such as <c>kernelspec</c> and <c>polyglot_notebook</c>, cell ids, tags, attachments) is written back as read.
/// </summary>
public sealed class NotebookFile
{
    readonly JsonObject _root;

    NotebookFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The file the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The cells, in file order (the array itself: inserting into it changes the written notebook).</summary>
    public JsonArray Cells => _root["cells"] as JsonArray ?? throw new TinierHarException($"{Path}: no \"cells\" array (not an nbformat 4 notebook)");

    /// <summary>
    /// The notebook's default kernel: <c>metadata.polyglot_notebook.kernelInfo.defaultKernelName</c>, else from
    /// <c>metadata.kernelspec.language</c> (C# → csharp, F# → fsharp, PowerShell → pwsh), else "csharp".
    /// </summary>
    public string DefaultKernelName
    {
        get
        {
            var meta = _root["metadata"];
            if (Text(meta?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]) is { } name) return name;
            return Text(meta?["kernelspec"]?["language"]) switch
            {
                "F#" => "fsharp",
                "PowerShell" => "pwsh",
                _ => "csharp",
            };
        }
    }

    static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    /// <summary>Reads a notebook; malformed JSON or a missing cells array is a <see cref="TinierHarException"/> naming the file and position.</summary>
    public static NotebookFile Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $"line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : "unknown position";
            throw new TinierHarException($"{path}: not valid notebook JSON at {where}: {Reason(e.Message)}");
        }
        if (node is not JsonObject root) throw new TinierHarException($"{path}: not a notebook (the JSON is not an object)");
        var nb = new NotebookFile(path, root);
        if (root["nbformat"] is JsonValue v && v.TryGetValue<int>(out var major) && major != 4)
            throw new TinierHarException($"{path}: nbformat {major} is not supported (4 is)");
        foreach (var cell in nb.Cells)
            if (cell is not JsonObject) throw new TinierHarException($"{path}: a cell is not a JSON object");
        return nb;
    }

    /// <summary>Writes the notebook to <paramref name="path"/> atomically (a temporary file beside it, then a move; the
    /// repository's shared writer <see cref="TinierHar.Training.RunStore.WriteAtomic"/>).</summary>
    public void Save(string path)
    {
        var json = _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        TinierHar.Training.RunStore.WriteAtomic(path, json + "\n");
    }

    /// <summary>A cell's <c>source</c> as one string (nbformat allows a string or an array of lines).</summary>
    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l is JsonValue v && v.TryGetValue<string>(out var line) ? line : "")),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => "",
    };

    /// <summary>The nbformat multi-line string form: lines that keep their "\n" (the last without).</summary>
    public static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { array.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }

    /// <summary>The cell's tags (<c>metadata.tags</c>).</summary>
    public static IReadOnlyList<string> Tags(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToArray()
            : [];

    /// <summary>
    /// The cell's kernel: <c>metadata.polyglot_notebook.kernelName</c>, else <c>metadata.dotnet_interactive.language</c>,
    /// else <paramref name="defaultKernel"/>.
    /// </summary>
    public static string KernelName(JsonObject cell, string defaultKernel)
    {
        var meta = cell["metadata"];
        foreach (var node in new[] { meta?["polyglot_notebook"]?["kernelName"], meta?["dotnet_interactive"]?["language"] })
            if (node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)) return s;
        return defaultKernel;
    }

    /// <summary>System.Text.Json's message without its position suffix and its advice about reader options.</summary>
    static string Reason(string message)
    {
        var s = message.Split('\n')[0];
        var at = s.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at >= 0) s = s[..at];
        return s.Replace(" Change the reader options.", "", StringComparison.Ordinal).Trim();
    }
}
