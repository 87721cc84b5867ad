using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive.CSharp;
using LinePosition = Microsoft.DotNet.Interactive.LinePosition;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using NetMQ;
using NetMQ.Sockets;
using TinierHar.Cli.Workbook;

namespace TinierHar.Cli.Kernel;

/// <summary>
/// The <c>tinierhar</c> Jupyter kernel: the same in-process C# kernel as <c>tinierhar workbook</c>
/// (<see cref="CSharpKernelHost"/>; FSharp.Core 10.1, the same formatting, <c>#!import</c> of the notebooks' setup and
/// the library reference pointed at this build) behind the Jupyter messaging protocol 5.3 over ZeroMQ (NetMQ). It binds
/// only the endpoints of the connection file and drops (logs to stderr, never handles) any message whose HMAC-SHA256
/// signature does not verify.
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    readonly ConnectionInfo _connection;
    readonly byte[] _key;
    readonly TextWriter _log;
    readonly string _session = Guid.NewGuid().ToString("N");
    readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    readonly PublisherSocket _iopub = new();
    readonly ResponseSocket _hb = new();
    readonly object _iopubGate = new();
    readonly CSharpKernel _kernel;
    volatile bool _stopping;
    CancellationTokenSource? _running;
    JupyterMessage? _executing;
    int _executionCount;
    readonly Dictionary<string, string> _displayIds = new(StringComparer.Ordinal);
    readonly List<string> _unboundDisplays = [];

    /// <summary>Messages rejected because their signature did not verify (or malformed), for tests and logs.</summary>
    public int Rejected => _rejected;
    int _rejected;

    public JupyterKernel(ConnectionInfo connection, TextWriter? log = null)
    {
        _connection = connection;
        _key = System.Text.Encoding.UTF8.GetBytes(connection.Key);
        _log = log ?? Console.Error;
        Formatter.ResetToDefault();
        Formatter.SetPreferredMimeTypesFor(typeof(object), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        _kernel = CSharpKernelHost.Create();
        _kernel.KernelEvents.Subscribe(new Observer(OnKernelEvent));
        _shell.Bind(connection.Endpoint(connection.ShellPort));
        _control.Bind(connection.Endpoint(connection.ControlPort));
        _stdin.Bind(connection.Endpoint(connection.StdinPort));
        _iopub.Bind(connection.Endpoint(connection.IopubPort));
        _hb.Bind(connection.Endpoint(connection.HbPort));
    }

    /// <summary>Serves until a shutdown_request arrives (or <paramref name="cancellation"/> fires); returns 0.</summary>
    public int Run(CancellationToken cancellation = default)
    {
        var heartbeat = new Thread(() => Loop(_hb, frames => _hb.SendMultipartBytes(frames), raw: true)) { IsBackground = true, Name = "jupyter-hb" };
        var control = new Thread(() => Loop(_control, frames => Handle(_control, frames))) { IsBackground = true, Name = "jupyter-control" };
        heartbeat.Start();
        control.Start();
        using (cancellation.Register(() => _stopping = true))
        {
            Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
            Loop(_shell, frames => Handle(_shell, frames));
        }
        control.Join(TimeSpan.FromSeconds(2));
        heartbeat.Join(TimeSpan.FromSeconds(2));
        return 0;
    }

    void Loop(NetMQSocket socket, Action<List<byte[]>> handle, bool raw = false)
    {
        while (!_stopping)
        {
            List<byte[]> frames = new();
            try
            {
                if (!socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames!)) continue;
                handle(frames);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (_stopping) return;
                _log.WriteLine($"tinierhar kernel: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }
    }

    void Handle(RouterSocket socket, List<byte[]> frames)
    {
        var request = JupyterMessage.Parse(frames, _key, out var reason);
        if (request is null)
        {
            Interlocked.Increment(ref _rejected);
            _log.WriteLine($"tinierhar kernel: rejected a message on {(socket == _shell ? "shell" : "control")}: {reason}");
            return;
        }
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            switch (request.Type)
            {
                case "kernel_info_request": Reply(socket, request, "kernel_info_reply", KernelInfo()); break;
                case "execute_request": Execute(socket, request); break;
                case "complete_request": Reply(socket, request, "complete_reply", Complete(request.Content)); break;
                case "is_complete_request": Reply(socket, request, "is_complete_reply", IsComplete(request.Content)); break;
                case "inspect_request": Reply(socket, request, "inspect_reply", Inspect(request.Content)); break;
                case "comm_info_request": Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "history_request": Reply(socket, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
                case "interrupt_request":
                    _running?.Cancel();
                    Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = request.Content["restart"]?.GetValue<bool>() ?? false });
                    _stopping = true;
                    _running?.Cancel();
                    break;
                default:
                    _log.WriteLine($"tinierhar kernel: ignored unsupported message type '{request.Type}'");
                    break;
            }
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "tinierhar",
        ["implementation_version"] = typeof(JupyterKernel).Assembly.GetName().Version?.ToString() ?? "0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#",
            ["version"] = "13.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = "C# (TinierHar): the in-process C# kernel of `tinierhar workbook` (Microsoft.DotNet.Interactive.CSharp, FSharp.Core 10.1)",
        ["help_links"] = new JsonArray(),
    };

    void Execute(RouterSocket socket, JupyterMessage request)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? "";
        var silent = request.Content["silent"]?.GetValue<bool>() ?? false;
        var store = !silent && (request.Content["store_history"]?.GetValue<bool>() ?? true);
        if (store) _executionCount++;
        var count = Math.Max(_executionCount, 1);
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        var source = NotebookRunner.ExpandImports(code, out var importError);
        JsonObject? failure = null;
        if (importError is not null)
            failure = PublishError("ImportError", importError, [importError], request);
        else
        {
            using var cts = new CancellationTokenSource();
            _running = cts;
            _executing = silent ? null : request;
            _executionCountForResult = count;
            try
            {
                var result = _kernel.SendAsync(new SubmitCode(LibraryReference.Rewrite(source)), cts.Token).GetAwaiter().GetResult();
                var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
                if (failed is not null)
                {
                    var message = string.IsNullOrWhiteSpace(failed.Message) ? failed.Exception?.Message ?? "failed" : failed.Message.Trim();
                    failure = Error(failed.Exception?.GetType().Name ?? (message.Contains("error CS", StringComparison.Ordinal) ? "CompilationError" : "Error"),
                        failed.Exception?.Message ?? message, message.Split('\n').Select(l => l.TrimEnd('\r')).ToArray());
                }
            }
            catch (OperationCanceledException)
            {
                failure = PublishError("KeyboardInterrupt", "interrupted", ["interrupted"], request);
            }
            catch (Exception e)
            {
                failure = PublishError(e.GetType().Name, e.Message, [e.Message], request);
            }
            finally
            {
                _executing = null;
                _running = null;
            }
        }
        var reply = failure is null
            ? new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() }
            : new JsonObject { ["status"] = "error", ["execution_count"] = count, ["ename"] = failure["ename"]!.DeepClone(), ["evalue"] = failure["evalue"]!.DeepClone(), ["traceback"] = failure["traceback"]!.DeepClone() };
        Reply(socket, request, "execute_reply", reply);
    }

    int _executionCountForResult;

    static JsonObject Error(string ename, string evalue, string[] traceback) =>
        new() { ["ename"] = ename, ["evalue"] = evalue, ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)t).ToArray()) };

    JsonObject PublishError(string ename, string evalue, string[] traceback, JupyterMessage request)
    {
        var error = Error(ename, evalue, traceback);
        Publish("error", (JsonObject)error.DeepClone(), request);
        return error;
    }

    /// <summary>Kernel events of the running execute_request become iopub messages as they happen (live progress).</summary>
    void OnKernelEvent(KernelEvent e)
    {
        var request = _executing;
        if (request is null) return;
        switch (e)
        {
            case StandardOutputValueProduced so: Stream("stdout", so.FormattedValues, request); break;
            case StandardErrorValueProduced se: Stream("stderr", se.FormattedValues, request); break;
            case ReturnValueProduced rv:
                Publish("execute_result", new JsonObject { ["execution_count"] = _executionCountForResult, ["data"] = Data(rv.FormattedValues), ["metadata"] = new JsonObject() }, request);
                break;
            case DisplayedValueUpdated du:
                var id = DisplayIdForUpdate(du.ValueId);
                if (id is not null)
                    Publish("update_display_data", new JsonObject { ["data"] = Data(du.FormattedValues), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject { ["display_id"] = id } }, request);
                break;
            case DisplayedValueProduced dp:
                var displayId = Guid.NewGuid().ToString("N");
                if (dp.ValueId is { } valueId) _displayIds[valueId] = displayId;
                _unboundDisplays.Add(displayId);
                Publish("display_data", new JsonObject { ["data"] = Data(dp.FormattedValues), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject { ["display_id"] = displayId } }, request);
                break;
            case CommandFailed failed when failed.Command is SubmitCode:
                var message = string.IsNullOrWhiteSpace(failed.Message) ? failed.Exception?.Message ?? "failed" : failed.Message.Trim();
                Publish("error", Error(failed.Exception?.GetType().Name ?? (message.Contains("error CS", StringComparison.Ordinal) ? "CompilationError" : "Error"),
                    failed.Exception?.Message ?? message, message.Split('\n').Select(l => l.TrimEnd('\r')).ToArray()), request);
                break;
        }
    }

    /// <summary>The display an update replaces; the same binding rule as the runner (see <see cref="CellOutputs"/>).</summary>
    string? DisplayIdForUpdate(string? valueId)
    {
        if (valueId is not null && _displayIds.TryGetValue(valueId, out var id))
        {
            _unboundDisplays.Remove(id);
            return id;
        }
        if (_unboundDisplays.Count == 0) return null;
        id = _unboundDisplays[^1];
        _unboundDisplays.RemoveAt(_unboundDisplays.Count - 1);
        if (valueId is not null) _displayIds[valueId] = id;
        return id;
    }

    void Stream(string name, IEnumerable<FormattedValue> values, JupyterMessage request)
    {
        var text = (values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType) ?? values.FirstOrDefault())?.Value ?? "";
        if (text.Length > 0) Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, request);
    }

    static JsonObject Data(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var v in values)
        {
            JsonNode? json = null;
            if (v.MimeType.EndsWith("json", StringComparison.Ordinal) && v.Value is not null)
                try { json = JsonNode.Parse(v.Value); } catch (System.Text.Json.JsonException) { }
            data[v.MimeType] = json ?? JsonValue.Create(v.Value ?? "");
        }
        return data;
    }

    JsonObject Complete(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var cursor = Offset(code, content["cursor_pos"]?.GetValue<int>() ?? code.Length);
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var matches = new JsonArray();
        try
        {
            var result = _kernel.SendAsync(new RequestCompletions(code, Position(code, cursor))).GetAwaiter().GetResult();
            var prefix = code[start..cursor];
            foreach (var item in result.Events.OfType<CompletionsProduced>().SelectMany(c => c.Completions)
                         .Select(c => string.IsNullOrEmpty(c.FilterText) ? c.DisplayText : c.FilterText).Where(t => t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct().Take(200))
                matches.Add(item);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"tinierhar kernel: completion failed: {e.Message.Split('\n')[0]}");
        }
        return new JsonObject { ["status"] = "ok", ["matches"] = matches, ["cursor_start"] = CodePoints(code, start), ["cursor_end"] = CodePoints(code, cursor), ["metadata"] = new JsonObject() };
    }

    /// <summary>Complete when Roslyn's script parser says so; an unbalanced <c>{</c> or a trailing operator is incomplete.</summary>
    static JsonObject IsComplete(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree)
            ? new JsonObject { ["status"] = tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "invalid" : "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "" };
    }

    JsonObject Inspect(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? "";
        var cursor = Offset(code, content["cursor_pos"]?.GetValue<int>() ?? code.Length);
        var data = new JsonObject();
        try
        {
            var result = _kernel.SendAsync(new RequestHoverText(code, Position(code, cursor))).GetAwaiter().GetResult();
            foreach (var v in result.Events.OfType<HoverTextProduced>().SelectMany(h => h.Content))
                data[v.MimeType] = v.Value;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"tinierhar kernel: inspect failed: {e.Message.Split('\n')[0]}");
        }
        if (data.Count > 0 && data["text/plain"] is null)
            data["text/plain"] = data.First().Value!.GetValue<string>();
        return new JsonObject { ["status"] = "ok", ["found"] = data.Count > 0, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    /// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings in UTF-16 units.</summary>
    static int Offset(string code, int codePoints)
    {
        int i = 0;
        for (int n = 0; n < codePoints && i < code.Length; n++) i += char.IsSurrogatePair(code, i) ? 2 : 1;
        return Math.Min(i, code.Length);
    }

    static int CodePoints(string code, int offset)
    {
        int n = 0;
        for (int i = 0; i < offset; i += char.IsSurrogatePair(code, i) ? 2 : 1) n++;
        return n;
    }

    static LinePosition Position(string code, int offset)
    {
        var line = 0; var lineStart = 0;
        for (int i = 0; i < offset; i++)
            if (code[i] == '\n') { line++; lineStart = i + 1; }
        return new LinePosition(line, offset - lineStart);
    }

    void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var reply = new JupyterMessage(request.Identities, JupyterMessage.NewHeader(type, _session), (JsonObject)request.Header.DeepClone(), new JsonObject(), content);
        socket.SendMultipartBytes(reply.ToFrames(_key));
    }

    void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = new JupyterMessage([System.Text.Encoding.UTF8.GetBytes($"kernel.{_session}.{type}")], JupyterMessage.NewHeader(type, _session),
            parent is null ? new JsonObject() : (JsonObject)parent.Header.DeepClone(), new JsonObject(), content);
        lock (_iopubGate) _iopub.SendMultipartBytes(message.ToFrames(_key));
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var s in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _hb })
            try { s.Dispose(); } catch (Exception) { }
        try { _kernel.Dispose(); } catch (Exception) { }
    }

    sealed class Observer(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnNext(KernelEvent value) => onNext(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
