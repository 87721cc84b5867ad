using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using TinierHar.Cli.Commands;
using TinierHar.Cli.Kernel;
using TinierHar.Data;
using TinierHar.Tests.Cli;

namespace TinierHar.Tests.Kernel;

/// <summary>
/// The <c>tinierhar</c> Jupyter kernel: signature checks (a forged execute_request is never run), binding only the
/// connection file's address, conformance with Debian's python3-jupyter-kernel-test, and its command's bad input.
/// In the serial collection: the kernel resets the process-wide .NET Interactive formatters.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class KernelTests
{
    static readonly TimeSpan ReplyWait = TimeSpan.FromMinutes(3); // a guard against a hung kernel, not a timing check

    static List<byte[]> Frames(string type, JsonObject content, byte[] key)
    {
        var message = new JupyterMessage([], JupyterMessage.NewHeader(type, "test-session"), new JsonObject(), new JsonObject(), content);
        return message.ToFrames(key);
    }

    static JsonObject Execute(string code) => new() { ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false };

    [Fact]
    public void A_forged_execute_request_is_logged_and_never_run_and_only_the_connection_address_is_bound()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tinierhar-kernel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var forgedMarker = Path.Combine(dir, "forged.txt");
        var signedMarker = Path.Combine(dir, "signed.txt");
        var info = new ConnectionInfo("tcp", "127.0.0.1", Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort(), "the-real-key", "hmac-sha256");
        var key = Encoding.UTF8.GetBytes(info.Key);
        var log = new StringWriter();
        var kernel = new JupyterKernel(info, TextWriter.Synchronized(log));
        var server = new Thread(() => kernel.Run()) { IsBackground = true };
        server.Start();
        try
        {
            // Every socket listens on 127.0.0.1 only, as the connection file says.
            var ports = new[] { info.ShellPort, info.IopubPort, info.StdinPort, info.ControlPort, info.HbPort };
            var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => ports.Contains(l.Port)).ToArray();
            Assert.Equal(ports.Order(), listeners.Select(l => l.Port).Distinct().Order());
            Assert.All(listeners, l => Assert.Equal(IPAddress.Loopback, l.Address));

            using var shell = new DealerSocket();
            shell.Connect(info.Endpoint(info.ShellPort));
            // Signed with another key: must be rejected and never executed.
            shell.SendMultipartBytes(Frames("execute_request", Execute($"System.IO.File.WriteAllText(@\"{forgedMarker}\", \"forged\");"), Encoding.UTF8.GetBytes("an-attacker-key")));
            // Signed correctly but with the content changed after signing: rejected too.
            var tampered = Frames("execute_request", Execute("1"), key);
            tampered[^1] = Encoding.UTF8.GetBytes(Execute($"System.IO.File.WriteAllText(@\"{forgedMarker}\", \"tampered\");").ToJsonString());
            shell.SendMultipartBytes(tampered);
            // Then a correctly signed request: its reply proves the two before it were read and dropped.
            shell.SendMultipartBytes(Frames("execute_request", Execute($"System.IO.File.WriteAllText(@\"{signedMarker}\", \"signed\");"), key));
            var replyFrames = new List<byte[]>();
            Assert.True(shell.TryReceiveMultipartBytes(ReplyWait, ref replyFrames), "no execute_reply from the kernel");
            var reply = JupyterMessage.Parse(replyFrames, key, out var reason);
            Assert.True(reply is not null, reason);
            Assert.Equal("execute_reply", reply!.Type);
            Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());

            Assert.True(File.Exists(signedMarker));
            Assert.False(File.Exists(forgedMarker), "a message with a bad signature was executed");
            Assert.Equal(2, kernel.Rejected);
            Assert.Equal(2, log.ToString().Split('\n').Count(l => l.Contains("rejected a message on shell: signature does not verify")));

            shell.SendMultipartBytes(Frames("shutdown_request", new JsonObject { ["restart"] = false }, key));
            Assert.True(shell.TryReceiveMultipartBytes(ReplyWait, ref replyFrames), "no shutdown_reply");
            Assert.Equal("shutdown_reply", JupyterMessage.Parse(replyFrames, key, out _)!.Type);
            Assert.True(server.Join(ReplyWait), "the kernel did not stop after shutdown_request");
        }
        finally
        {
            kernel.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Passes_jupyter_kernel_test()
    {
        // Debian's python3-jupyter-kernel-test 0.4.5 (.ci/run installs it) against the kernelspec of this build.
        var prefix = Path.Combine(Path.GetTempPath(), "tinierhar-kernelspec-" + Guid.NewGuid().ToString("N"));
        try
        {
            var spec = KernelCommand.Install(prefix);
            Assert.True(File.Exists(Path.Combine(spec, "kernel.json")));
            var script = Path.Combine(DataFolder.RepositoryRoot(AppContext.BaseDirectory), "tests", "Kernel", "kernel_test.py");
            var start = new ProcessStartInfo("/usr/bin/python3", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var guard = new CancellationTokenSource(ReplyWait);
            await process.WaitForExitAsync(guard.Token);
            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, output);
            Assert.Matches(@"Ran 12 tests", output);
            foreach (var test in new[] { "test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_completion", "test_is_complete", "test_error", "test_execute_result", "test_display_data", "test_inspect" })
                Assert.Matches($@"{test} \(__main__\.TinierHarKernelTests\.{test}\) \.\.\. ok", output);
        }
        finally
        {
            try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Install_writes_the_kernelspec_and_bad_input_is_one_line()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "tinierhar-kernelspec-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, err) = CliRunner.Run("kernel", "install", "--prefix", prefix);
            Assert.True(code == 0, output + err);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(prefix, "share", "jupyter", "kernels", "tinierhar", "kernel.json")))!;
            Assert.Equal("C# (TinierHar)", spec["display_name"]!.GetValue<string>());
            var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
            Assert.Equal(["kernel", "run", "{connection_file}"], argv[^3..]);
            Assert.EndsWith("tinierhar.dll", argv[1]);

            (code, _, err) = CliRunner.Run("kernel", "install", "--user", "--prefix", prefix);
            Assert.Equal(2, code);
            Assert.Equal("tinierhar kernel: give either --user or --prefix DIR, not both", err.Trim());
            (code, _, err) = CliRunner.Run("kernel", "run", Path.Combine(prefix, "missing.json"));
            Assert.Equal(2, code);
            Assert.Equal($"tinierhar kernel: {Path.Combine(prefix, "missing.json")}: connection file not found", err.Trim());
            File.WriteAllText(Path.Combine(prefix, "bad.json"), "{\"ip\": \"127.0.0.1\"");
            (code, _, err) = CliRunner.Run("kernel", "run", Path.Combine(prefix, "bad.json"));
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.StartsWith($"tinierhar kernel: {Path.Combine(prefix, "bad.json")}: malformed JSON", err.Trim());
        }
        finally
        {
            try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
        }
    }
}
