using TinierHar.Data;
using TinierHar.Export;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar export --run RUN_DIR --format c|onnx [--int8 [--data DIR] [--cache DIR]] --out DIR</c>, or
/// <c>--checkpoint FILE --model M [--variant V] --dataset D</c> instead of <c>--run</c> (a bare checkpoint such as the
/// reference's; the dataset gives the window shape; no int8, which calibrates on the run's training windows): writes a
/// trained model for deployment (<see cref="RunExport"/>). <c>--data</c> and <c>--cache</c> are those of
/// <c>tinierhar evaluate</c> and only read with <c>--int8</c>.
/// </summary>
public sealed class ExportCommand(TextWriter? stdout = null) : ICommand
{
    const string Usage = "usage: tinierhar export (--run RUN_DIR | --checkpoint FILE --model M [--variant V] --dataset D) --format c|onnx [--int8 [--data DIR] [--cache DIR]] --out DIR";

    TextWriter _out => stdout ?? Console.Out;

    public string Name => "export";
    public string Summary => "write a trained model (a study fold's best.pth, or a checkpoint) as dependency-free C99 or ONNX";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "help", "int8" });
        if (a.Flag("help")) { _out.WriteLine(Usage); return 0; }
        var run = a.Get("run");
        var checkpoint = a.Get("checkpoint");
        if ((run is null) == (checkpoint is null)) throw new UsageException("give either --run RUN_DIR or --checkpoint FILE (with --model and --dataset)");
        var formatText = a.Get("format") ?? "c";
        var int8 = a.Flag("int8");
        var outDir = a.Require("out");
        var spec = checkpoint is null ? null : ModelOptions.Read(a);
        var dataset = checkpoint is null ? null : a.Require("dataset");
        var (dataOption, cacheOption) = (a.Get("data"), a.Get("cache"));
        a.EnsureAllUsed();
        if (!int8 && (dataOption ?? cacheOption) is not null)
            throw new UsageException($"option --{(dataOption is null ? "cache" : "data")}: only read with --int8 (calibration)");
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
        var format = ExportRequest.ParseFormat(formatText)
            ?? throw new UsageException($"option --format: expected 'c' or 'onnx', got '{formatText}'");
        var request = int8 ? new ExportRequest(format, int8, DataFolder.Resolve(dataOption), WindowCache.Resolve(cacheOption)) : new ExportRequest(format);
        IReadOnlyList<string> written;
        if (run is not null)
        {
            if (!Directory.Exists(run)) throw new UsageException($"option --run: folder '{run}' not found");
            written = RunExport.Export(run, request, outDir);
        }
        else
        {
            if (!File.Exists(checkpoint)) throw new UsageException($"option --checkpoint: file '{checkpoint}' not found");
            using var source = ExportSource.FromCheckpoint(checkpoint!, spec!, dataset!);
            written = RunExport.Export(source, request, outDir);
        }
        foreach (var path in written) _out.WriteLine($"wrote {path}");
        return 0;
    }
}
