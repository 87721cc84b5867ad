using TinierHar.Export;

namespace TinierHar.Cli.Commands;

/// <summary><c>tinierhar export --run RUN_DIR --format c --out DIR</c>: writes a trained TinierHAR fold as a dependency-free
/// C99 pair <c>tinierhar.c</c>/<c>tinierhar.h</c> (<see cref="RunExport"/>).</summary>
public sealed class ExportCommand(TextWriter? stdout = null) : ICommand
{
    TextWriter _out => stdout ?? Console.Out;

    public string Name => "export";
    public string Summary => "write a trained TinierHAR fold (best.pth) as dependency-free C99 (float32)";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "help" });
        if (a.Flag("help")) { _out.WriteLine("usage: tinierhar export --run RUN_DIR --format c --out DIR"); return 0; }
        var run = a.Require("run");
        var format = a.Get("format") ?? "c";
        var outDir = a.Require("out");
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
        if (format != "c") throw new UsageException($"option --format: '{format}' is not supported (only 'c' for now)");
        if (!Directory.Exists(run)) throw new UsageException($"option --run: folder '{run}' not found");
        foreach (var path in RunExport.ExportC(run, outDir)) _out.WriteLine($"wrote {path}");
        return 0;
    }
}
