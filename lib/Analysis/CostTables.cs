using System.Collections.Concurrent;
using TinierHar.Efficiency;
using TinierHar.Models;

namespace TinierHar.Analysis;

/// <summary>One layer of a model's cost breakdown (from <see cref="MacCounter"/>'s per-layer rows); "Total" for the sum.</summary>
public sealed record LayerRow(string Layer, string Type, long Parameters, long Macs);

/// <summary>Cost of one variant of a model and its change relative to the full model (negative = cheaper).</summary>
public sealed record VariantCost(string Model, string Variant, string Label, long Parameters, long Macs,
    double ParametersChangePercent, double MacsChangePercent);

/// <summary>Parameters and MACs of one model (default hyper-parameters) on one dataset's shape.</summary>
/// <param name="Dataset">Dataset key.</param>
/// <param name="Model">Catalog key: tinierhar, tinyhar or deepconvlstm.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Macs">MACs of one window.</param>
public sealed record ModelCost(string Dataset, string Model, long Parameters, long Macs);

/// <summary>Cost tables from our counter (docs/reference.md section 6): per layer, per ablation variant, per paper dataset.</summary>
public static class CostTables
{
    static readonly ConcurrentDictionary<(ModelSpec, InputShape), EfficiencyReport> Reports = new();
    static readonly Lazy<IReadOnlyList<ModelCost>> Paper = new(ComputePaperDatasets);

    /// <summary>The counter's report for a spec and shape (memoised: costs are deterministic).</summary>
    public static EfficiencyReport Count(ModelSpec spec, InputShape shape)
    {
        var resolved = spec.Resolve();
        shape.Validate();
        return Reports.GetOrAdd((resolved, shape), key =>
        {
            using var model = ModelCatalog.Create(key.Item1, key.Item2);
            return MacCounter.Count(model, 1, key.Item2.Window, key.Item2.Channels);
        });
    }

    /// <summary>Per-layer rows of the counter (modules owning parameters or MACs, plus counted functional calls), then a "Total" row.</summary>
    public static IReadOnlyList<LayerRow> Layers(ModelSpec spec, InputShape shape)
    {
        var report = Count(spec, shape);
        var rows = report.Layers.Select(l => new LayerRow(l.Name.Length == 0 ? "(model)" : l.Name, l.Type, l.Params, l.Macs)).ToList();
        rows.Add(Total(report));
        return rows;
    }

    /// <summary>The "Total" row of a report: the counter's totals.</summary>
    public static LayerRow Total(EfficiencyReport report) => new("Total", "", report.Params, report.Macs);

    /// <summary>"full" and every ablation variant of <paramref name="model"/> (<see cref="ModelCatalog.Variants"/>), with changes vs "full" in percent.</summary>
    public static IReadOnlyList<VariantCost> Variants(string model, InputShape shape)
    {
        var full = new ModelSpec(model).Resolve();
        var baseline = Count(full, shape);
        return ModelCatalog.Variants[full.Model].Prepend(ModelVariant.Full).Select(v =>
        {
            var spec = full with { Variant = v };
            var r = Count(spec, shape);
            return new VariantCost(full.Model, v, DesignSpace.DisplayName(spec), r.Params, r.Macs,
                Change(r.Params, baseline.Params), Change(r.Macs, baseline.Macs));
        }).ToList();
    }

    static double Change(long value, long baseline) => baseline == 0 ? double.NaN : 100.0 * (value - baseline) / baseline;

    /// <summary>The 14 paper datasets (<see cref="DatasetShapes"/>) × the 3 models at their defaults, from our counter; dataset then model order.</summary>
    public static IReadOnlyList<ModelCost> PaperDatasets() => Paper.Value;

    static IReadOnlyList<ModelCost> ComputePaperDatasets() =>
        DatasetShapes.All.SelectMany(kv => ModelCatalog.Models.Select(m =>
        {
            var r = Count(new ModelSpec(m), kv.Value);
            return new ModelCost(kv.Key, m, r.Params, r.Macs);
        })).ToList();
}
