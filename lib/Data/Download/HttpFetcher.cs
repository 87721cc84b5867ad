using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace TinierHar.Data.Download;

/// <summary>
/// Downloads one URL to a file through <c>FILE.partial</c>, resuming an existing <c>.partial</c> with an HTTP
/// <c>Range: bytes=N-</c> request. A server that ignores the range (200) or answers another range makes it start over
/// (once); 416 with the file's full length means the <c>.partial</c> is already complete. A download that stops
/// (connection lost, <see cref="IdleTimeout"/> without data, fewer bytes than announced) keeps the <c>.partial</c> and says
/// so; more bytes than announced deletes it. Progress goes to <c>log</c> every 10 % (or every 5 s without a length).
/// </summary>
public sealed class HttpFetcher(HttpClient client, Action<string> log)
{
    /// <summary>How long a response or a read may bring no data before the download stops.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An HttpClient as the downloader uses it: redirects, no decompression, 30 s connect timeout, no overall timeout.</summary>
    public static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("TinierHar-datasets-download/2.0");
        return http;
    }

    static string MiB(long bytes) => (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/> (see the class summary).</summary>
    public async Task FetchAsync(string url, string destination, string label)
    {
        var partial = destination + ".partial";
        int restarts = 0;
        while (true)
        {
            long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
                log($"[{label}] resuming {url} from byte {have} ({MiB(have)} already in {Path.GetFileName(partial)})");
            }
            else log($"[{label}] downloading {url}");

            HttpResponseMessage response;
            using (var cts = new CancellationTokenSource(IdleTimeout))
            {
                try { response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token); }
                catch (OperationCanceledException) { throw new TinierHarException($"cannot reach {url}: no answer for {IdleTimeout.TotalSeconds:0} s"); }
                catch (HttpRequestException e) { throw new TinierHarException($"cannot reach {url}: {e.Message}"); }
            }
            using (response)
            {
                int code = (int)response.StatusCode;
                var range = response.Content.Headers.ContentRange;
                var length = response.Content.Headers.ContentLength;
                bool append = false;
                long? total;
                if (code == 206 && have > 0)
                {
                    if (range?.From != have)
                    {
                        if (restarts++ >= 1) throw new TinierHarException($"the server answered the range request for {url} with a different range");
                        log($"[{label}] the server sent a different range; starting over");
                        File.Delete(partial);
                        continue;
                    }
                    append = true;
                    total = range.Length ?? (length is { } l ? have + l : null);
                }
                else if (code == 416 && have > 0)
                {
                    if (range?.Length == have)
                    {
                        log($"[{label}] {Path.GetFileName(partial)} is already complete");
                        File.Move(partial, destination, overwrite: true);
                        return;
                    }
                    if (restarts++ >= 1) throw new TinierHarException($"the server refused the range request for {url} (HTTP 416)");
                    log($"[{label}] the server refused to resume (HTTP 416); starting over");
                    File.Delete(partial);
                    continue;
                }
                else if (code == 200)
                {
                    if (have > 0) log($"[{label}] the server ignored the range request (HTTP 200); starting over");
                    have = 0;
                    total = length;
                }
                else throw new TinierHarException($"HTTP {code} {response.ReasonPhrase} from {url}");

                long done = await CopyAsync(response, partial, append, have, total, url, label);
                if (total is { } t && done != t)
                {
                    if (done > t)
                    {
                        File.Delete(partial);
                        throw new TinierHarException($"download of {url} gave {done} bytes, more than the {t} announced; the partial file was deleted");
                    }
                    throw new TinierHarException($"download of {url} ended after {done} of {t} bytes; the partial file {partial} is kept: re-run to resume");
                }
                log($"[{label}] downloaded {MiB(done)}");
                File.Move(partial, destination, overwrite: true);
                return;
            }
        }
    }

    /// <summary>Writes the response body to the .partial file; returns the file's length at the end.</summary>
    async Task<long> CopyAsync(HttpResponseMessage response, string partial, bool append, long have, long? total, string url, string label)
    {
        long done = have;
        using var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        try
        {
            Stream body;
            using (var cts = new CancellationTokenSource(IdleTimeout)) body = await response.Content.ReadAsStreamAsync(cts.Token);
            await using var _ = body;
            var buffer = new byte[1 << 20];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long lastReport = 0;
            long lastPercent = total is > 0 ? 100 * done / total.Value : 0;
            while (true)
            {
                int n;
                using (var cts = new CancellationTokenSource(IdleTimeout)) n = await body.ReadAsync(buffer, cts.Token);
                if (n <= 0) break;
                file.Write(buffer, 0, n);
                done += n;
                long percent = total is > 0 ? 100 * done / total.Value : 0;
                if ((total is > 0 && percent >= lastPercent + 10) || clock.ElapsedMilliseconds - lastReport >= 5000)
                {
                    lastReport = clock.ElapsedMilliseconds;
                    if (total is > 0) { lastPercent = percent - percent % 10; log($"[{label}]   {MiB(done)} / {MiB(total.Value)} ({percent}%)"); }
                    else log($"[{label}]   {MiB(done)}");
                }
            }
            return done;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            var why = e is OperationCanceledException ? $"no data from the server for {IdleTimeout.TotalSeconds:0} s" : e.Message;
            var of = total is { } t ? $" of {t}" : "";
            throw new TinierHarException($"download of {url} interrupted after {done}{of} bytes ({why}); the partial file {partial} is kept: re-run to resume");
        }
    }
}
