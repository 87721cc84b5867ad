using System.Globalization;
using System.Text.Json;
using TinierHar.Efficiency;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar footprint --model M [--variant V] --dataset D|all [--int8] [--cortex-m4] [--json]</c>: params, MACs, the
/// exported C's weight bytes (flash) and static activation bytes (RAM), with <c>--cortex-m4</c> the measured flash and RAM
/// of a Cortex-M4F build, and whether it fits a typical wearable MCU (<see cref="Footprint"/>).
/// </summary>
public sealed class FootprintCommand(TextWriter? stdout = null) : ICommand
{
    TextWriter _out => stdout ?? Console.Out;

    public string Name => "footprint";
    public string Summary => "flash and RAM of a model's C export next to params and MACs (--model M [--variant V] --dataset NAME|all [--int8] [--cortex-m4] [--json]; --markdown: the README's table of the three models)";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "json", "int8", "cortex-m4", "markdown" });
        if (a.Flag("markdown"))
        {
            a.EnsureAllUsed();
            if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
            _out.Write(FootprintTable.Markdown());
            return 0;
        }
        var spec = ModelOptions.Read(a);
        var dataset = a.Require("dataset");
        bool json = a.Flag("json"), int8 = a.Flag("int8"), m4 = a.Flag("cortex-m4");
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
        var all = DatasetShapes.All;
        if (dataset != "all" && !all.ContainsKey(dataset))
            throw new UsageException($"option --dataset: unknown dataset '{dataset}' (expected all or one of: {string.Join(", ", all.Keys)})");

        var rows = dataset == "all" ? Footprint.AllDatasets(spec, int8, m4) : [Footprint.Of(spec, dataset, all[dataset], int8, m4)];
        var budget = McuBudget.Wearable;
        if (json)
        {
            _out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                dataset = r.Dataset, model = r.Model, variant = r.Variant, window = r.Shape.Window, channels = r.Shape.Channels,
                classes = r.Shape.Classes, @params = r.Params, macs = r.Macs, int8 = r.Int8, weight_bytes = r.WeightBytes,
                activation_bytes = r.ActivationBytes, cortex_m4_flash = r.Flash, cortex_m4_ram = r.Ram, fits_wearable_mcu = r.Fits(budget),
            }), new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        _out.WriteLine($"{"dataset",-12} {"model",-13} {"variant",-14} {"T",4} {"C",3} {"K",3} {"params",10} {"MACs",13} {"weights KB",11} {"act. KB",8}{(m4 ? $" {"M4 flash KB",12} {"M4 RAM KB",10}" : "")}  fits {budget.Name}");
        foreach (var r in rows)
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Dataset,-12} {r.Model,-13} {r.Variant + (r.Int8 ? " int8" : ""),-14} {r.Shape.Window,4} {r.Shape.Channels,3} {r.Shape.Classes,3} {r.Params,10:N0} {r.Macs,13:N0} {r.WeightBytes / 1024.0,11:F1} {r.ActivationBytes / 1024.0,8:F1}{(m4 ? $" {r.Flash / 1024.0,12:F1} {r.Ram / 1024.0,10:F1}" : "")}  {(r.Fits(budget) ? "yes" : "no")}"));
        return 0;
    }
}
