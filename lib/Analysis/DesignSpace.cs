using System.Globalization;
using TinierHar.Models;

namespace TinierHar.Analysis;

/// <summary>
/// TinierHAR's scaling sweep (docs/reference.md section 7: (F, M) ∈ {(2,2),(4,4),(8,8)} × H ∈ {8,16,32}; filters and block count
/// are tied) and display names of model specs. Run folders keep the points apart through <see cref="ModelSpec.RunVariant"/>.
/// </summary>
public static class DesignSpace
{
    /// <summary>The 9 sweep points in (F=M, H) order; (4,4,16) is the default TinierHAR.</summary>
    public static IReadOnlyList<ModelSpec> Sweep() =>
        (from fm in new[] { 2, 4, 8 }
         from h in new[] { 8, 16, 32 }
         select new ModelSpec(ModelCatalog.TinierHar, ModelVariant.Full, fm, fm, h).Resolve()).ToList();

    /// <summary>Inverse of <see cref="ModelSpec.RunVariant"/> (see <see cref="ModelCatalog.ParseRunVariant"/>).</summary>
    public static ModelSpec ParseRunVariant(string model, string runVariant) => ModelCatalog.ParseRunVariant(model, runVariant);

    static readonly Dictionary<string, string> ModelNames = new()
    {
        [ModelCatalog.TinierHar] = "TinierHAR", [ModelCatalog.TinyHar] = "TinyHAR", [ModelCatalog.DeepConvLstm] = "DeepConvLSTM",
    };

    static readonly Dictionary<string, string> VariantNames = new()
    {
        [ModelVariant.NoResidual] = "residual shortcut", [ModelVariant.NoAttention] = "attention aggregation", [ModelVariant.NoGru] = "GRU", [ModelVariant.NoConv] = "conv",
        [ModelVariant.NoChannelAttention] = "cross-channel attention", [ModelVariant.NoChannelFusion] = "channel fusion", [ModelVariant.NoLstm] = "LSTM",
        [ModelVariant.NoTemporalAttention] = "temporal attention",
    };

    /// <summary>
    /// "TinierHAR", "TinierHAR w/o GRU", "TinyHAR w/o cross-channel attention", "DeepConvLSTM w/o LSTM"; non-default
    /// hyper-parameters are appended as in "TinierHAR F=2 M=2 H=8" (all structural ones listed, as in the run variant).
    /// </summary>
    public static string DisplayName(ModelSpec spec)
    {
        var r = spec.Resolve();
        var name = ModelNames[r.Model];
        if (r.Variant != ModelVariant.Full) name += " w/o " + (VariantNames.TryGetValue(r.Variant, out var v) ? v : r.Variant);
        var d = new ModelSpec(r.Model, r.Variant).Resolve();
        if (r == d) return name;
        var inv = CultureInfo.InvariantCulture;
        name += " F=" + r.Filters!.Value.ToString(inv);
        if (r.Blocks is int m) name += " M=" + m.ToString(inv);
        if (r.RecurrentUnits is int h && r.Model != ModelCatalog.TinyHar) name += " H=" + h.ToString(inv);
        if (r.Dropout != d.Dropout) name += " dropout=" + r.Dropout!.Value.ToString("0.##########", inv);
        if (r.NoAttentionPooling != d.NoAttentionPooling) name += " pooling=" + r.NoAttentionPooling;
        return name;
    }
}
