using System.ComponentModel;
using System.Diagnostics;

namespace TinierHar.Export;

/// <summary>
/// Runs a command-line tool (a compiler, <c>size</c>, QEMU) to completion and returns its standard output. A tool that
/// is not on PATH, exits with a non-zero code or outlives the timeout (then it is killed) is a
/// <see cref="TinierHarException"/> with one line saying which, the tool's error output, and how to install it.
/// </summary>
public static class ExternalTool
{
    /// <summary>Debian's packages for the Cortex-M4 build and its emulation.</summary>
    public const string ArmInstall = "apt-get install -y gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm";

    public static string Run(string tool, string workDir, TimeSpan timeout, string install, params string[] args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi) ?? throw new TinierHarException($"{tool} did not start"); }
        catch (Win32Exception)
        {
            throw new TinierHarException($"{tool} not found on PATH; install it ({install})");
        }
        using (p)
        {
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                throw new TinierHarException($"{tool} did not finish in {timeout.TotalSeconds:F0} s (killed): {Tail(stderr.Result + stdout.Result)}");
            }
            p.WaitForExit(); // the output pipes are drained
            if (p.ExitCode != 0)
                throw new TinierHarException($"{tool} {string.Join(' ', args)} exited with {p.ExitCode}: {Tail(stderr.Result + stdout.Result)}");
            return stdout.Result;
        }
    }

    static string Tail(string text)
    {
        text = text.Trim().ReplaceLineEndings(" | ");
        return text.Length <= 2000 ? text : "..." + text[^2000..];
    }
}
