using System.Globalization;
using System.Text.Json.Serialization;

namespace TinierHar.Models;

/// <summary>Shape of one input window and the number of classes: input <c>(B, 1, T, C)</c>, logits <c>(B, K)</c>.</summary>
public sealed record InputShape(int Window, int Channels, int Classes)
{
    public void Validate()
    {
        if (Window < 1) throw new TinierHarException($"window T must be >= 1, got {Window}");
        if (Channels < 1) throw new TinierHarException($"channels C must be >= 1, got {Channels}");
        if (Classes < 2) throw new TinierHarException($"classes K must be >= 2, got {Classes}");
    }
}

/// <summary>
/// Which model and ablation variant to build, with its hyper-parameters. One record serves the three
/// architectures; parameters that do not apply to a model are ignored (and left at their defaults in saved
/// configurations). Defaults are the reference's <c>configs/model.yaml</c>.
/// </summary>
/// <param name="Model">tinierhar, tinyhar or deepconvlstm.</param>
/// <param name="Variant">"full" or one of <see cref="ModelCatalog.Variants"/> for the model.</param>
/// <param name="Filters">TinierHAR F (4); TinyHAR filter_num (20); DeepConvLSTM nb_filters (64).</param>
/// <param name="Blocks">TinierHAR M, the extra un-pooled blocks after the two pooled ones (4).</param>
/// <param name="RecurrentUnits">TinierHAR GRU H (16); DeepConvLSTM LSTM units (128). TinyHAR uses 2F.</param>
/// <param name="Dropout">TinierHAR 0.3, TinyHAR 0.1, DeepConvLSTM 0.5.</param>
/// <param name="NoAttentionPooling">TinierHAR no-attention: how the GRU outputs are pooled instead ("mean" or
/// "last"). The reference does not say; "mean" is our default.</param>
public sealed record ModelSpec(
    string Model,
    string Variant = ModelVariant.Full,
    int? Filters = null,
    int? Blocks = null,
    int? RecurrentUnits = null,
    double? Dropout = null,
    string NoAttentionPooling = "mean")
{
    /// <summary>The same spec with every default filled in, as saved with a run.</summary>
    public ModelSpec Resolve() => ModelCatalog.Resolve(this);

    /// <summary>
    /// The variant name used in run keys and run folders. Rule: the resolved <see cref="Variant"/> alone when every
    /// hyper-parameter is the model's default; otherwise the variant followed by ALL of the model's structural
    /// hyper-parameters (TinierHAR <c>-F{F}-M{M}-H{H}</c>, TinyHAR <c>-F{F}</c>, DeepConvLSTM <c>-F{F}-H{H}</c>),
    /// then <c>-D{dropout}</c> when the dropout is not the default and <c>-P{pooling}</c> when the no-attention
    /// pooling is not "mean". E.g. "full", "no-gru", "full-F2-M2-H8", "full-F4-M4-H16-D0.5".
    /// <see cref="ModelCatalog.ParseRunVariant"/> is the inverse. Not serialised (config.json is unchanged).
    /// </summary>
    [JsonIgnore]
    public string RunVariant
    {
        get
        {
            var r = Resolve();
            var d = ModelCatalog.Resolve(new ModelSpec(r.Model, r.Variant));
            if (r == d) return r.Variant;
            var inv = CultureInfo.InvariantCulture;
            var s = r.Variant + "-F" + r.Filters!.Value.ToString(inv);
            if (r.Blocks is int m) s += "-M" + m.ToString(inv);
            if (r.RecurrentUnits is int h && r.Model != ModelCatalog.TinyHar) s += "-H" + h.ToString(inv);
            if (r.Dropout != d.Dropout) s += "-D" + r.Dropout!.Value.ToString("0.##########", inv);
            if (r.NoAttentionPooling != d.NoAttentionPooling) s += "-P" + r.NoAttentionPooling;
            return s;
        }
    }
}
