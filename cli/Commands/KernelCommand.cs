using System.Text.Json.Nodes;
using TinierHar.Cli.Kernel;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar kernel install [--user | --prefix DIR]</c> registers the Jupyter kernelspec <c>tinierhar</c>
/// ("C# (TinierHar)") that runs this build; <c>tinierhar kernel run CONNECTION_FILE</c> is what Jupyter starts
/// (<see cref="JupyterKernel"/>).
/// </summary>
public sealed class KernelCommand(TextWriter? stdout = null) : ICommand
{
    TextWriter _out => stdout ?? Console.Out;

    public string Name => "kernel";
    public string Summary => "Jupyter kernel 'C# (TinierHar)': kernel install [--user|--prefix DIR]; kernel run CONNECTION_FILE";

    /// <summary>The kernelspec name.</summary>
    public const string SpecName = "tinierhar";

    /// <summary>The name Jupyter front ends show.</summary>
    public const string DisplayName = "C# (TinierHar)";

    const string Usage = "usage: tinierhar kernel install [--user | --prefix DIR]  |  tinierhar kernel run CONNECTION_FILE";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "user", "help" });
        if (a.Flag("help")) { _out.WriteLine(Usage); return 0; }
        var sub = a.Positionals.FirstOrDefault() ?? throw new UsageException("missing sub-command: " + Usage);
        switch (sub)
        {
            case "install":
            {
                var user = a.Flag("user");
                var prefix = a.Get("prefix");
                a.EnsureAllUsed();
                if (a.Positionals.Count > 1) throw new UsageException($"unexpected argument '{a.Positionals[1]}'");
                if (user && prefix is not null) throw new UsageException("give either --user or --prefix DIR, not both");
                var dir = Install(prefix);
                _out.WriteLine($"installed kernelspec '{SpecName}' (\"{DisplayName}\") in {dir}");
                return 0;
            }
            case "run":
            {
                a.EnsureAllUsed();
                if (a.Positionals.Count != 2) throw new UsageException("kernel run needs one CONNECTION_FILE: " + Usage);
                var connection = ConnectionInfo.Load(a.Positionals[1]);
                using var kernel = new JupyterKernel(connection);
                return kernel.Run();
            }
            default:
                throw new UsageException($"unknown sub-command '{sub}': " + Usage);
        }
    }

    /// <summary>
    /// Writes <c>kernels/tinierhar/kernel.json</c> under <paramref name="prefix"/>/share/jupyter, or under the user's
    /// Jupyter data folder (<c>JUPYTER_DATA_DIR</c>, else <c>~/.local/share/jupyter</c>; macOS <c>~/Library/Jupyter</c>,
    /// Windows <c>%APPDATA%\jupyter</c>) when null. Atomic; returns the kernelspec folder.
    /// </summary>
    public static string Install(string? prefix)
    {
        string data;
        if (prefix is not null) data = Path.Combine(Path.GetFullPath(prefix), "share", "jupyter");
        else if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } env) data = Path.GetFullPath(env);
        else if (OperatingSystem.IsWindows()) data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        else if (OperatingSystem.IsMacOS()) data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Jupyter");
        else data = Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "jupyter");
        var dir = Path.Combine(data, "kernels", SpecName);
        Directory.CreateDirectory(dir);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(Command().Select(c => (JsonNode)c).Append("kernel").Append("run").Append("{connection_file}").ToArray()),
            ["display_name"] = DisplayName,
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        var path = Path.Combine(dir, "kernel.json");
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tinierhar-tmp";
        try
        {
            File.WriteAllText(tmp, spec.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return dir;
    }

    /// <summary>How to start this build: <c>dotnet tinierhar.dll</c> (works wherever the SDK is on PATH).</summary>
    static IEnumerable<string> Command()
    {
        var dll = typeof(KernelCommand).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return [dotnet, dll];
    }
}
