using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Studies;

/// <summary>
/// One job of a study: one fold of one (dataset, model spec, training preset, seed). Its <see cref="Key"/> names its run
/// folder and its row in <c>results.csv</c>, so a job is done exactly when the study's run store says so.
/// </summary>
/// <param name="Dataset">Registry key.</param>
/// <param name="Spec">Resolved model spec (variant or design point).</param>
/// <param name="Config">Training settings, seed included (threads are chosen when the job runs).</param>
/// <param name="Fold">Fold index.</param>
public sealed record StudyJob(string Dataset, ModelSpec Spec, TrainingConfig Config, int Fold)
{
    public RunKey Key => new(Dataset, Spec.Model, Spec.RunVariant, Config.Label, Config.Seed, Fold);

    /// <summary>e.g. <c>uschad tinierhar-full paper seed 1 fold 3</c>.</summary>
    public override string ToString() => $"{Dataset} {Spec.Model}-{Spec.RunVariant} {Config.Label} seed {Config.Seed} fold {Fold}";
}
