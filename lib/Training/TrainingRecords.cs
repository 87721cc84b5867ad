namespace TinierHar.Training;

/// <summary>One epoch of a fold's training (one row of <c>epochs.csv</c>). Losses are means of per-batch mean losses,
/// as the reference's <c>np.average</c> over batches; <see cref="LearningRate"/> is the rate used during the epoch.</summary>
public sealed record EpochLog(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy, double ValidationMacroF1,
    double LearningRate, double Seconds, bool Improved)
{
    /// <summary>The typical time of one epoch: the median of the last ten epochs' own times. Unlike elapsed time over
    /// epochs, it is not skewed by a paused process, time between resumed sessions or a slow first epoch, so ETAs hold.</summary>
    public static double TypicalSeconds(IReadOnlyList<EpochLog> log)
    {
        if (log.Count == 0) throw new ArgumentException("no epoch was logged", nameof(log));
        return Metrics.Median(log.Skip(Math.Max(0, log.Count - 10)).Select(e => e.Seconds));
    }
}

/// <summary>Reported after every epoch (and its checkpoint) of a fold.</summary>
/// <param name="Fold">Fold index.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="Epoch">Epochs done (1-based).</param>
/// <param name="Epochs">Maximum epochs (early stopping may end sooner).</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="ValidationLoss">Mean validation loss of the epoch.</param>
/// <param name="ValidationMacroF1">Validation macro F1 of the epoch.</param>
/// <param name="Elapsed">Time spent on this fold, resumed epochs included.</param>
/// <param name="Remaining">Estimate for the remaining epochs at <paramref name="SecondsPerEpoch"/> (upper bound: ignores early stopping).</param>
/// <param name="Stopped">True when early stopping ended the fold at this epoch.</param>
/// <param name="SecondsPerEpoch">The typical epoch time so far (<see cref="EpochLog.TypicalSeconds"/>).</param>
public sealed record TrainingProgress(int Fold, int Seed, int Epoch, int Epochs, double TrainLoss, double ValidationLoss,
    double ValidationMacroF1, TimeSpan Elapsed, TimeSpan Remaining, bool Stopped, double SecondsPerEpoch);

/// <summary>What training one fold produced: the epoch log, the best epoch, test scores and predictions of the best
/// (lowest validation loss) weights in eval mode.</summary>
public sealed record FoldResult(IReadOnlyList<EpochLog> Epochs, int BestEpoch, double BestValidationLoss, bool EarlyStopped,
    EvaluationMetrics Test, int[] TestLabels, int[] TestPredictions, double Seconds)
{
    /// <summary>"fast" or "plain" (<see cref="Kernels.KernelSwitch.EngineFor"/>): how the model was trained.</summary>
    public string Engine { get; init; } = "plain";
}
