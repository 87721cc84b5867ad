using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TinierHar.Tests.Download;

/// <summary>One request as the server saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string? Range);

/// <summary>
/// A tiny HTTP/1.1 file server on 127.0.0.1 with an ephemeral port, for the download tests (script and command).
/// It honours "Range: bytes=N-" (206 + Content-Range) unless a route says to ignore it, and a route can
/// drop the connection after a given byte offset while its Content-Length still announces the whole file.
/// Every response closes its connection. Only loopback is ever used.
/// </summary>
internal sealed partial class LoopbackHttpServer : IDisposable
{
    private sealed record Route(byte[] Body, long? CutAt, bool IgnoreRange, bool Stall);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public LoopbackHttpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public int HitCount => _requests.Count;

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>; returns its URL.</summary>
    /// <param name="cutAt">Close the connection once the file's bytes before this offset are sent.</param>
    /// <param name="ignoreRange">Answer Range requests with 200 and the whole file.</param>
    /// <param name="stall">With <paramref name="cutAt"/>: keep the connection open, sending nothing more, instead of closing it.</param>
    public string Serve(string path, byte[] body, long? cutAt = null, bool ignoreRange = false, bool stall = false)
    {
        _routes[path] = new Route(body, cutAt, ignoreRange, stall);
        return BaseUrl + path;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    [GeneratedRegex(@"^bytes=(\d+)-$")]
    private static partial Regex OpenRange();

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                var method = requestLine[0];
                var path = requestLine.Length > 1 ? requestLine[1] : "/";
                string? range = null;
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0 && line[..colon].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase))
                    {
                        range = line[(colon + 1)..].Trim();
                    }
                }
                _requests.Enqueue(new RecordedRequest(method, path, range));

                if (!_routes.TryGetValue(path, out var route))
                {
                    await WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
                    return;
                }

                long total = route.Body.LongLength;
                long start = 0;
                var partial = false;
                if (range is not null && !route.IgnoreRange)
                {
                    var m = OpenRange().Match(range);
                    if (m.Success)
                    {
                        start = long.Parse(m.Groups[1].Value);
                        if (start >= total)
                        {
                            await WriteAsync(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{total}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                            return;
                        }
                        partial = true;
                    }
                }

                var header = new StringBuilder();
                header.Append(partial ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n");
                if (partial)
                {
                    header.Append($"Content-Range: bytes {start}-{total - 1}/{total}\r\n");
                }
                header.Append($"Content-Length: {total - start}\r\n");
                header.Append("Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n");
                await WriteAsync(stream, header.ToString());

                // With a cut the announced Content-Length is a lie: the connection closes early.
                var end = route.CutAt is long cut ? Math.Clamp(cut, start, total) : total;
                await stream.WriteAsync(route.Body.AsMemory((int)start, (int)(end - start)));
                await stream.FlushAsync();
                if (route.Stall && end < total)
                {
                    try { await Task.Delay(Timeout.Infinite, _stop.Token); } catch (OperationCanceledException) { }
                }
            }
            catch (IOException)
            {
                // The client went away; nothing to do.
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>(1024);
        var one = new byte[1];
        while (buffer.Count < 64 * 1024)
        {
            var n = await stream.ReadAsync(one);
            if (n == 0)
            {
                return null;
            }
            buffer.Add(one[0]);
            var c = buffer.Count;
            if (c >= 4 && buffer[c - 4] == '\r' && buffer[c - 3] == '\n' && buffer[c - 2] == '\r' && buffer[c - 1] == '\n')
            {
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, c - 4);
            }
        }
        return null;
    }

    private static Task WriteAsync(NetworkStream stream, string text) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();
}
