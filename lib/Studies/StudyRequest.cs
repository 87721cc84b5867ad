using TinierHar.Data;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Studies;

/// <summary>Which variants of each model a study plans: the full model, its ablations, or both.</summary>
public enum VariantSet { Full, Ablations, All }

/// <summary>
/// What <c>tinierhar study plan</c> is asked for; <see cref="Jobs"/> expands it without reading any dataset (fold counts
/// come from the registry). Job order: seed, then dataset, model, variant (full first, then ablations, then the sweep's
/// design points) and fold, so that a study finishes seed 1 of everything before seed 2 starts.
/// </summary>
public sealed record StudyRequest(
    IReadOnlyList<string> Datasets,
    IReadOnlyList<string> Models,
    VariantSet Variants = VariantSet.Full,
    bool Sweep = false,
    IReadOnlyList<int>? Seeds = null,
    IReadOnlyList<int>? Folds = null,
    string Preset = "paper",
    int? Epochs = null)
{
    /// <summary>TinierHAR's design-space sweep: (F, M) ∈ {(2,2), (4,4), (8,8)} × H ∈ {8, 16, 32}.</summary>
    public static IReadOnlyList<(int F, int M, int H)> SweepPoints { get; } =
        [.. from fm in new[] { (2, 2), (4, 4), (8, 8) } from h in new[] { 8, 16, 32 } select (fm.Item1, fm.Item2, h)];

    /// <summary>The jobs, checked: unknown datasets, models, presets or fold numbers are errors naming the valid ones.</summary>
    public IReadOnlyList<StudyJob> Jobs()
    {
        if (Datasets.Count == 0) throw new TinierHarException("a study needs at least one dataset");
        if (Models.Count == 0) throw new TinierHarException("a study needs at least one model");
        var config = TrainingConfig.FromPreset(Preset);
        if (Epochs is int e) config = config with { Epochs = e };
        config.Validate();
        var infos = Datasets.Select(DatasetRegistry.Get).ToList();
        var specs = Models.Select(m => new ModelSpec(m).Resolve()).Distinct().SelectMany(SpecsOf).Distinct().ToList();
        foreach (var info in infos)
            foreach (var f in Folds ?? [])
                if (f < 0 || f >= info.FoldCount) throw new TinierHarException($"dataset '{info.Key}' has folds 0..{info.FoldCount - 1}, not {f}");
        var jobs = new List<StudyJob>();
        foreach (var seed in Seeds ?? [1])
            foreach (var info in infos)
                foreach (var spec in specs)
                    foreach (var fold in Folds ?? Enumerable.Range(0, info.FoldCount).ToList())
                        jobs.Add(new StudyJob(info.Key, spec, config with { Seed = seed }, fold));
        return jobs;
    }

    IEnumerable<ModelSpec> SpecsOf(ModelSpec model)
    {
        if (Variants != VariantSet.Ablations) yield return model;
        if (Variants != VariantSet.Full)
            foreach (var v in ModelCatalog.Variants[model.Model]) yield return new ModelSpec(model.Model, v).Resolve();
        if (Sweep && model.Model == ModelCatalog.TinierHar)
            foreach (var (f, m, h) in SweepPoints) yield return new ModelSpec(model.Model, ModelVariant.Full, f, m, h).Resolve();
    }
}
