using TinierHar.Export;
using TinierHar.Models;
using static TorchSharp.torch;

namespace TinierHar.Efficiency;

/// <summary>A microcontroller's memory: flash for code and constant weights, SRAM for activations.</summary>
public sealed record McuBudget(string Name, long FlashBytes, long RamBytes)
{
    /// <summary>A typical wearable's MCU (e.g. a Cortex-M4F such as nRF52840 or STM32L4): 1 MB flash, 256 KB SRAM.</summary>
    public static McuBudget Wearable { get; } = new("1 MB flash / 256 KB SRAM", 1L << 20, 256L << 10);
}

/// <summary>
/// What a model costs on a device for one dataset's window: params and MACs (the reference's counting rules), the bytes
/// of the exported C's constant weights (flash) and static activation buffers (RAM, from the export's buffer planner),
/// float32 or int8. <see cref="Flash"/>/<see cref="Ram"/> are measured sizes of a Cortex-M4 build when one was made.
/// </summary>
public sealed record FootprintRow(string Dataset, string Model, string Variant, InputShape Shape, long Params, long Macs,
    bool Int8, long WeightBytes, long ActivationBytes, long? Flash = null, long? Ram = null)
{
    /// <summary>Whether the model's weights and activations fit <paramref name="budget"/> (measured sizes when present).</summary>
    public bool Fits(McuBudget budget) => (Flash ?? WeightBytes) <= budget.FlashBytes && (Ram ?? ActivationBytes) <= budget.RamBytes;
}

/// <summary>
/// Computes <see cref="FootprintRow"/>s. No data and no trained weights are needed: sizes depend on the shape only (int8
/// sizes are those of an export with nominal calibration ranges: the ranges change values, not the layout).
/// </summary>
public static class Footprint
{
    /// <summary>
    /// The footprint of <paramref name="spec"/> on <paramref name="dataset"/>'s shape <paramref name="shape"/>, float32
    /// or <paramref name="int8"/>; with <paramref name="cortexM4"/> also built for a Cortex-M4F
    /// (<see cref="CortexM4Build.Measure"/>, needs Debian's arm-none-eabi toolchain) to fill the measured flash and RAM.
    /// </summary>
    public static FootprintRow Of(ModelSpec spec, string dataset, InputShape shape, bool int8 = false, bool cortexM4 = false)
    {
        spec = spec.Resolve();
        using var model = ModelCatalog.Create(spec, shape);
        var cost = MacCounter.Count(model, 1, shape.Window, shape.Channels);
        using var source = ExportSource.Of(model, spec, shape, $"footprint of {spec.Model} {spec.Variant} on {dataset}");
        CExport export;
        if (!int8) export = RunExport.ToC(source);
        else if (spec.Model == ModelCatalog.TinierHar && spec.Variant == ModelVariant.Full)
        {
            var weights = TinierHarWeights.From(model, spec, shape);
            export = TinierHarInt8CExporter.Export(weights, Int8Calibration.Nominal(weights.Blocks.Count), source.Origin); // sizes only
        }
        else throw new TinierHarException($"--int8: the int8 export supports TinierHAR full only, not {spec.Model} {spec.Variant}");
        var row = new FootprintRow(dataset, spec.Model, spec.Variant, shape, cost.Params, cost.Macs, int8, export.WeightBytes, export.ActivationBytes);
        if (!cortexM4) return row;
        var work = Directory.CreateTempSubdirectory("tinierhar-footprint-");
        try
        {
            var m4 = CortexM4Build.Measure(export, work.FullName);
            return row with { Flash = m4.Flash, Ram = m4.Ram };
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The footprint on every paper dataset's shape (<see cref="DatasetShapes.All"/>), in key order.</summary>
    public static IReadOnlyList<FootprintRow> AllDatasets(ModelSpec spec, bool int8 = false, bool cortexM4 = false) =>
        DatasetShapes.All.Select(kv => Of(spec, kv.Key, kv.Value, int8, cortexM4)).ToList();
}

/// <summary>
/// The deployment table of the README: for each of the 14 dataset shapes, flash (weights) and RAM (static activations) of
/// TinierHAR int8, TinierHAR, TinyHAR and DeepConvLSTM (float32), marking what does not fit <see cref="McuBudget.Wearable"/>.
/// </summary>
public static class FootprintTable
{
    /// <summary>The markdown table (<c>tinierhar footprint --markdown</c>).</summary>
    public static string Markdown()
    {
        var budget = McuBudget.Wearable;
        (string Title, IReadOnlyList<FootprintRow> Rows)[] columns =
        [
            ("TinierHAR int8", Footprint.AllDatasets(new ModelSpec(ModelCatalog.TinierHar), int8: true)),
            ("TinierHAR", Footprint.AllDatasets(new ModelSpec(ModelCatalog.TinierHar))),
            ("TinyHAR", Footprint.AllDatasets(new ModelSpec(ModelCatalog.TinyHar))),
            ("DeepConvLSTM", Footprint.AllDatasets(new ModelSpec(ModelCatalog.DeepConvLstm))),
        ];
        static string Kb(long bytes) => (bytes / 1024.0).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
        var sb = new System.Text.StringBuilder();
        sb.Append("| dataset | T×C |").AppendJoin("", columns.Select(c => $" {c.Title} KB flash / RAM |")).Append('\n');
        sb.Append("|---|---|").AppendJoin("", columns.Select(_ => "---:|")).Append('\n');
        var first = columns[0].Rows;
        for (int i = 0; i < first.Count; i++)
        {
            sb.Append($"| {first[i].Dataset} | {first[i].Shape.Window}×{first[i].Shape.Channels} |");
            foreach (var (_, rows) in columns)
                sb.Append($" {Kb(rows[i].WeightBytes)} / {Kb(rows[i].ActivationBytes)}{(rows[i].Fits(budget) ? "" : " ✗")} |");
            sb.Append('\n');
        }
        var fits = columns.Select(c => $"{c.Title} {c.Rows.Count(r => r.Fits(budget))} of {c.Rows.Count}");
        sb.Append($"\n✗: does not fit a {budget.Name} microcontroller. Shapes that fit: {string.Join(", ", fits)}.\n");
        return sb.ToString();
    }
}
