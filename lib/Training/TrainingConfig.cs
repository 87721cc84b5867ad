using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinierHar.Training;

/// <summary>
/// Everything that decides how one fold is trained (reference: <c>train.py</c> / <c>experiment.py</c> of
/// github.com/zhaxidele/TinierHAR; docs/reference.md section 5). Defaults are the reference's: AdamW(lr 1e-3, betas 0.9/0.999,
/// eps 1e-8, weight decay 0.01), CrossEntropyLoss(mean), LR ×0.1 after 7 validations without a strictly lower
/// validation loss, early stopping after 15 epochs without a lower-or-equal validation loss.
/// </summary>
/// <remarks>
/// Presets: <c>paper</c> = 150 epochs, batch 256 (May-2025 train.py, the committed logs); <c>reference</c> = 80
/// epochs, batch 32 (HEAD train.py); <c>quick</c> = 3 epochs, batch 64 (smoke runs, not a reproduction).
/// Differences: the reference trains in float64 (May and HEAD code) but its committed artefacts are float32; float32
/// is our default (<see cref="Dtype"/> = "float64" available). <see cref="MaxTrainWindows"/> (null = all) is ours,
/// for quick checks only. The resolved record is saved as <c>config.json</c> with every run.
/// </remarks>
public sealed record TrainingConfig
{
    public string Preset { get; init; } = "paper";
    public int Epochs { get; init; } = 150;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Validations without a strictly lower validation loss before the LR is multiplied by <see cref="LrFactor"/>.</summary>
    public int LrPatience { get; init; } = 7;
    public double LrFactor { get; init; } = 0.1;
    /// <summary>Epochs without a lower-or-equal validation loss before training stops.</summary>
    public int EarlyStoppingPatience { get; init; } = 15;
    public int Seed { get; init; } = 1;
    /// <summary>torch intra-op threads; null leaves torch's default.</summary>
    public int? Threads { get; init; }
    /// <summary>"float32" (default) or "float64" for the model and its inputs.</summary>
    public string Dtype { get; init; } = "float32";
    /// <summary>Ours, for quick checks: train on only the first N training windows of the (already shuffled) split.</summary>
    public int? MaxTrainWindows { get; init; }

    public static IReadOnlyList<string> Presets { get; } = ["paper", "reference", "quick"];

    /// <summary>The preset's epochs and batch size with every other setting at its default.</summary>
    public static TrainingConfig FromPreset(string preset) => (preset ?? "").Trim().ToLowerInvariant() switch
    {
        "paper" => new TrainingConfig { Preset = "paper", Epochs = 150, BatchSize = 256 },
        "reference" => new TrainingConfig { Preset = "reference", Epochs = 80, BatchSize = 32 },
        "quick" => new TrainingConfig { Preset = "quick", Epochs = 3, BatchSize = 64 },
        _ => throw new TinierHarException($"unknown preset '{preset}' (expected one of: {string.Join(", ", Presets)})"),
    };

    /// <summary>Checks ranges; throws <see cref="TinierHarException"/> naming the bad setting.</summary>
    public TrainingConfig Validate()
    {
        if (Epochs < 1) throw new TinierHarException($"epochs must be >= 1, got {Epochs}");
        if (BatchSize < 1) throw new TinierHarException($"batch size must be >= 1, got {BatchSize}");
        if (!(LearningRate > 0)) throw new TinierHarException($"learning rate must be > 0, got {LearningRate}");
        if (LrPatience < 1) throw new TinierHarException($"LR patience must be >= 1, got {LrPatience}");
        if (EarlyStoppingPatience < 1) throw new TinierHarException($"early-stopping patience must be >= 1, got {EarlyStoppingPatience}");
        if (Threads is < 1) throw new TinierHarException($"threads must be >= 1, got {Threads}");
        if (Dtype is not ("float32" or "float64")) throw new TinierHarException($"dtype must be float32 or float64, got '{Dtype}'");
        if (MaxTrainWindows is < 1) throw new TinierHarException($"max train windows must be >= 1, got {MaxTrainWindows}");
        return this;
    }

    /// <summary>
    /// Folder-name label: the preset name, plus what differs from it (e.g. <c>paper-e10-b64</c>), without the seed.
    /// </summary>
    [JsonIgnore]
    public string Label
    {
        get
        {
            var basis = Presets.Contains(Preset) ? FromPreset(Preset) : new TrainingConfig();
            var label = Preset;
            if (Epochs != basis.Epochs) label += $"-e{Epochs}";
            if (BatchSize != basis.BatchSize) label += $"-b{BatchSize}";
            if (Dtype != basis.Dtype) label += $"-{Dtype}";
            if (MaxTrainWindows is int m) label += $"-n{m}";
            var rest = this with { Preset = basis.Preset, Epochs = basis.Epochs, BatchSize = basis.BatchSize, Dtype = basis.Dtype, MaxTrainWindows = null, Seed = basis.Seed, Threads = basis.Threads };
            if (rest != basis) label += "-custom";
            return label;
        }
    }

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingConfig>(json, JsonOptions) ?? throw new TinierHarException("empty training configuration");
}
