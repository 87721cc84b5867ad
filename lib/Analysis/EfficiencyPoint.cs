namespace TinierHar.Analysis;

/// <summary>
/// One model configuration on one dataset: its cost from the MAC counter and its score from the results table.
/// The unit of the efficiency-accuracy plots (notebooks 03 and 04).
/// </summary>
/// <param name="Dataset">Dataset key (e.g. "uschad").</param>
/// <param name="Model">tinierhar, tinyhar or deepconvlstm.</param>
/// <param name="Variant">"full" or an ablation variant; design-space points carry their hyper-parameters here (e.g. "full-F2-M2-H8").</param>
/// <param name="Label">Display name, e.g. "TinierHAR", "TinierHAR w/o GRU", "TinierHAR F=2 M=2 H=8".</param>
/// <param name="Parameters">Trainable parameters (counter).</param>
/// <param name="Macs">Multiply-accumulates of one window (counter).</param>
/// <param name="MacroF1">Mean per-fold macro F1 (NaN when not trained yet).</param>
/// <param name="MacroF1Std">Standard deviation over folds and seeds (0 for one run).</param>
/// <param name="Runs">Number of (fold, seed) runs behind the mean.</param>
/// <param name="Preset">Training preset of the runs (e.g. "quick", "paper").</param>
public sealed record EfficiencyPoint(string Dataset, string Model, string Variant, string Label, long Parameters, long Macs,
    double MacroF1, double MacroF1Std, int Runs, string Preset);
