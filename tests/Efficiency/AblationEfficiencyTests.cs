using TinierHar.Efficiency;
using TinierHar.Models;

namespace TinierHar.Tests.Efficiency;

/// <summary>
/// Ablation variants have no reference numbers; these check the counter against the closed forms that follow from
/// docs/reference.md's definitions and counting rules (sections 7 and 6), on the 14 datasets' shapes.
/// </summary>
public class AblationEfficiencyTests
{
    static readonly (string Key, int T, int C, int K)[] Datasets =
    [
        ("dg", 256, 9, 2), ("dsads", 100, 45, 19), ("hapt", 200, 6, 12), ("mhealth", 200, 23, 12), ("motionsense", 200, 12, 6),
        ("oppo", 120, 77, 18), ("pamap2", 132, 18, 12), ("recgym", 80, 7, 12), ("rw", 200, 21, 8), ("sho", 200, 60, 7),
        ("skodar", 132, 30, 10), ("uci", 128, 9, 6), ("uschad", 400, 6, 12), ("wisdm", 80, 3, 6),
    ];

    static EfficiencyReport Count(string model, string variant, int t, int c, int k, ModelSpec? spec = null)
    {
        using var m = ModelCatalog.Create((spec ?? new ModelSpec(model)) with { Variant = variant }, new InputShape(t, c, k));
        return MacCounter.Count(m, 1, t, c);
    }

    [Fact]
    public void TinierHar_ablations_follow_their_definitions()
    {
        foreach (var (key, t, c, k) in Datasets)
        {
            var full = Count("tinierhar", "full", t, c, k);
            Assert.Equal(2479 + 768L * c + 33 * k, full.Params);
            // no-gru: 718 conv params + Linear(8, K).
            Assert.Equal(718 + 9L * k, Count("tinierhar", "no-gru", t, c, k).Params);
            // no-attention: same params, the attention Linear(32,1) over T/4 rows is not run.
            var noAtt = Count("tinierhar", "no-attention", t, c, k);
            Assert.Equal(full.Params, noAtt.Params);
            Assert.Equal(full.Macs - 33L * (t / 4), noAtt.Macs);
            // no-residual: same params; the two pooled blocks' shortcuts (conv+BN+pool) are not run.
            var noRes = Count("tinierhar", "no-residual", t, c, k);
            Assert.Equal(full.Params, noRes.Params);
            long t2 = t / 2;
            long shortcut1 = 8L * t * c + 8L * t * c + 2L * 4 * t * c;    // conv 1→4 (4+4 per position), BN, pool of its input
            long shortcut2 = 40L * t2 * c + 16L * t2 * c + 2L * 8 * t2 * c; // conv 4→8 (32+8), BN, pool of its input
            Assert.Equal(full.Macs - shortcut1 - shortcut2, noRes.Macs);
            // no-conv: BiGRU(16) on C inputs over T steps + attention + classifier.
            var noConv = Count("tinierhar", "no-conv", t, c, k);
            Assert.Equal(2 * (48L * c + 48 * 16 + 96) + 33 + 33L * k, noConv.Params);
            Assert.Equal(2L * t * (48 * c + 768 + 112 + 96) + 33L * t + 33L * k, noConv.Macs);
        }
    }

    [Fact]
    public void DeepConvLstm_ablations_follow_their_definitions()
    {
        foreach (var (key, t, c, k) in Datasets)
        {
            var noConv = Count("deepconvlstm", "no-conv", t, c, k);
            Assert.Equal(4L * 128 * (c + 128) + 8 * 128 + 129L * k, noConv.Params);
            Assert.Equal(t * (512L * c + 4 * 128 * 128 + 18 * 128) + 129L * k, noConv.Macs);
            var full = Count("deepconvlstm", "full", t, c, k);
            var noLstm = Count("deepconvlstm", "no-lstm", t, c, k);
            long l = ((t - 4) - 5) / 2 + 1;
            l = ((l - 4) - 5) / 2 + 1;
            long lstmParams = 4L * 128 * (64 * c + 128) + 8 * 128, lstmMacs = l * (512L * 64 * c + 4 * 128 * 128 + 18 * 128);
            Assert.Equal(full.Params - lstmParams - (129L * k) + (64 * 128 + 128) + (128L * c * k + k), noLstm.Params);
            Assert.Equal(full.Macs - lstmMacs - 129L * k + (64 * 128 + 128) * l * c + (128L * c * k + k), noLstm.Macs);
        }
    }

    [Fact]
    public void TinyHar_ablations_follow_their_definitions()
    {
        foreach (var (key, t, c, k) in Datasets)
        {
            var full = Count("tinyhar", "full", t, c, k);
            Assert.Equal(22382 + 800L * c + 41 * k, full.Params);
            long attention = 3 * 400 + 1, fusion = 800L * c + 40, lstm = 13120, aggregation = 1681;
            Assert.Equal(full.Params - attention, Count("tinyhar", "no-channel-attention", t, c, k).Params);
            Assert.Equal(full.Params - lstm, Count("tinyhar", "no-lstm", t, c, k).Params);
            Assert.Equal(full.Params - aggregation, Count("tinyhar", "no-temporal-attention", t, c, k).Params);
            long cf = 20L * c;
            Assert.Equal(full.Params - fusion - lstm - aggregation - 41L * k + (8 * cf * cf + 8 * cf) + (cf * cf + 2 * cf + 1) + (cf + 1) * k,
                Count("tinyhar", "no-channel-fusion", t, c, k).Params);
            // no-conv: filter_num 1, hidden 2: q,k,v Linear(1,1) + γ, FC(C,2), LSTM(2,2), aggregation(2), Linear(2,K).
            Assert.Equal(4 + (2L * c + 2) + (8 * 2 + 8 * 2 + 16) + (6 + 2 + 1) + 3L * k, Count("tinyhar", "no-conv", t, c, k).Params);
        }
    }

    [Fact]
    public void Design_space_sweep_scales_as_the_closed_form()
    {
        // docs/reference.md section 2: params = 6 + 8F + (M+1)(4F² + 18F) + 2(3H·2FC + 3H² + 6H) + (2H+1) + (2H·K + K).
        foreach (var (f, h) in new[] { (2, 8), (2, 16), (4, 32), (8, 8), (8, 32) })
        {
            int m = f, c = 6, k = 12;
            var spec = new ModelSpec("tinierhar", Filters: f, Blocks: m, RecurrentUnits: h);
            long expected = 6 + 8L * f + (m + 1L) * (4L * f * f + 18 * f) + 2 * (3L * h * 2 * f * c + 3L * h * h + 6 * h) + (2 * h + 1) + (2L * h * k + k);
            Assert.Equal(expected, Count("tinierhar", "full", 200, c, k, spec).Params);
        }
    }
}
