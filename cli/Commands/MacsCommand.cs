using System.Globalization;
using System.Text.Json;
using TinierHar.Efficiency;
using TinierHar.Models;

namespace TinierHar.Cli.Commands;

/// <summary><c>tinierhar macs</c>: parameters and MACs (ptflops rules) of a model on a dataset's shape or a given one.</summary>
public sealed class MacsCommand : ICommand
{
    public string Name => "macs";
    public string Summary => "parameters and MACs of a model (--model M [--variant V] --dataset NAME|all | --window T --channels C --classes K)";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "json", "per-layer" });
        var spec = ModelOptions.Read(a);
        var dataset = a.Get("dataset");
        int? t = a.GetInt("window", 1), c = a.GetInt("channels", 1), k = a.GetInt("classes", 2);
        bool json = a.Flag("json"), perLayer = a.Flag("per-layer");
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");

        var shapes = new List<(string Dataset, InputShape Shape)>();
        if (dataset is not null)
        {
            if (t is not null || c is not null || k is not null) throw new UsageException("give either --dataset or --window/--channels/--classes, not both");
            var all = DatasetShapes.All;
            if (dataset == "all") shapes.AddRange(all.Select(kv => (kv.Key, kv.Value)));
            else if (all.TryGetValue(dataset, out var s)) shapes.Add((dataset, s));
            else throw new UsageException($"unknown dataset '{dataset}' (expected all or one of: {string.Join(", ", all.Keys)})");
        }
        else
        {
            if (t is null || c is null || k is null) throw new UsageException("give --dataset NAME|all, or all of --window T --channels C --classes K");
            shapes.Add(("custom", new InputShape(t.Value, c.Value, k.Value)));
        }

        var rows = new List<(string Dataset, InputShape Shape, EfficiencyReport Report)>();
        foreach (var (name, shape) in shapes)
        {
            using var model = ModelCatalog.Create(spec, shape);
            rows.Add((name, shape, MacCounter.Count(model, 1, shape.Window, shape.Channels)));
        }

        if (json)
        {
            var objects = rows.Select(r => new Dictionary<string, object?>
            {
                ["dataset"] = r.Dataset, ["model"] = spec.Model, ["variant"] = spec.Variant,
                ["window"] = r.Shape.Window, ["channels"] = r.Shape.Channels, ["classes"] = r.Shape.Classes,
                ["params"] = r.Report.Params, ["macs"] = r.Report.Macs,
                ["layers"] = perLayer ? r.Report.Layers.Select(l => new { name = l.Name, type = l.Type, output_shape = l.OutputShape, @params = l.Params, macs = l.Macs, calls = l.Calls }) : null,
            }.Where(kv => kv.Value is not null).ToDictionary());
            Console.WriteLine(JsonSerializer.Serialize(objects, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        Console.WriteLine($"{"dataset",-12} {"model",-13} {"variant",-22} {"T",5} {"C",4} {"K",4} {"params",12} {"MACs",14}");
        foreach (var (name, shape, report) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-12} {spec.Model,-13} {spec.Variant,-22} {shape.Window,5} {shape.Channels,4} {shape.Classes,4} {report.Params,12:N0} {report.Macs,14:N0}"));
            if (!perLayer) continue;
            foreach (var l in report.Layers)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {l.Name,-42} {l.Type,-22} {"(" + string.Join(",", l.OutputShape) + ")",-18} {l.Params,10:N0} {l.Macs,14:N0}"));
        }
        return 0;
    }
}
