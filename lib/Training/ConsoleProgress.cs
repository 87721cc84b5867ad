using System.Globalization;

namespace TinierHar.Training;

/// <summary>
/// Writes <see cref="TrainingProgress"/> to a text writer: on a terminal one line per fold, rewritten in place with a
/// carriage return each epoch; otherwise (redirected output, logs, tests) one line per epoch. Ours; the reference
/// prints per-epoch lines to its log.
/// </summary>
public sealed class ConsoleProgress(TextWriter output, bool interactive) : IProgress<TrainingProgress>
{
    int _width;

    public void Report(TrainingProgress p)
    {
        var text = Line(p);
        if (!interactive) { output.WriteLine(text); return; }
        output.Write("\r" + text.PadRight(_width));
        _width = text.Length;
        if (p.Stopped || p.Epoch == p.Epochs) { output.WriteLine(); _width = 0; }
        output.Flush();
    }

    /// <summary>The one-line description of an epoch (shared with the notebooks' progress display).</summary>
    public static string Line(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"fold {p.Fold} seed {p.Seed} epoch {p.Epoch}/{p.Epochs}: train loss {p.TrainLoss:F4}, val loss {p.ValidationLoss:F4}, val F1 {p.ValidationMacroF1:F4}, {Time(p.Elapsed)} elapsed, ≤{Time(p.Remaining)} left{(p.Stopped ? " (early stop)" : "")}");

    static string Time(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F0}s";
}
