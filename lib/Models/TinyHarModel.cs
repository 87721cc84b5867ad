using TinierHar.Efficiency;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TinierHar.Models;

/// <summary>
/// TinyHAR's cross-channel self-attention (reference <c>SelfAttention_interaction</c>) on <c>(B, C, F)</c>:
/// q, k, v = bias-free linear maps; β = softmax(q·kᵀ, dim=1) (over the query axis, no 1/√d); out = γ·(vᵀβ) + xᵀ,
/// transposed back. γ is a learned scalar initialised to 0.
/// </summary>
public sealed class ChannelSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear query, key, value;
    private readonly Parameter gamma;

    public ChannelSelfAttention(long features) : base("SelfAttention_interaction")
    {
        query = Linear(features, features, hasBias: false);
        key = Linear(features, features, hasBias: false);
        value = Linear(features, features, hasBias: false);
        gamma = Parameter(torch.zeros(1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var f = query.call(x);
        var g = key.call(x);
        var h = value.call(x);
        var beta = CountedOps.Softmax(CountedOps.Bmm(f, g.permute(0, 2, 1)), 1);
        var o = TensorSum.Of(gamma * CountedOps.Bmm(h.permute(0, 2, 1), beta), x.permute(0, 2, 1));
        return o.permute(0, 2, 1);
    }
}

/// <summary>TinyHAR's fusion layer (reference <c>FC</c>): one linear map named <c>fc</c>.</summary>
public sealed class FcFusion : Module<Tensor, Tensor>
{
    private readonly Linear fc;
    public FcFusion(long cin, long cout) : base("FC") { fc = Linear(cin, cout); RegisterComponents(); }
    public override Tensor forward(Tensor x) => fc.call(x);
}

/// <summary>TinyHAR's temporal interaction (reference <c>temporal_LSTM</c>): a one-layer LSTM, batch first.</summary>
public sealed class TemporalLstm : Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    public TemporalLstm(long features) : base("temporal_LSTM") { lstm = LSTM(features, features, batchFirst: true); RegisterComponents(); }
    public override Tensor forward(Tensor x) => lstm.call(x, null).Item1;
}

/// <summary>
/// TinyHAR's temporal aggregation (reference <c>Temporal_Weighted_Aggregation</c>): s = fc_2(tanh(fc_1(x))),
/// softmax over time, context c = Σ w_t x_t, output = x[:, −1] + γ·c with γ a learned scalar initialised to 0.
/// </summary>
public sealed class TemporalWeightedAggregation : Module<Tensor, Tensor>
{
    private readonly Linear fc_1, fc_2;
    private readonly Tanh weighs_activation;
    private readonly Softmax sm;
    private readonly Parameter gamma;

    public TemporalWeightedAggregation(long hidden) : base("Temporal_Weighted_Aggregation")
    {
        fc_1 = Linear(hidden, hidden);
        weighs_activation = Tanh();
        fc_2 = Linear(hidden, 1, hasBias: false);
        sm = Softmax(1);
        gamma = Parameter(torch.zeros(1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var scores = fc_2.call(weighs_activation.call(fc_1.call(x))).squeeze(2);
        var weights = sm.call(scores).unsqueeze(2);
        var context = (weights * x).sum(1);
        return TensorSum.Of(x.select(1, -1), gamma * context);
    }
}

/// <summary>
/// TinyHAR (Zhou et al., ISWC 2022) as configured by the TinierHAR reference (models/TinyHAR.py, filter_num 20,
/// attn / FC / lstm / tnaive): four <c>Conv2d(5,1)</c> layers without padding (strides 1,2,1,2), each Conv → ReLU →
/// BatchNorm; per-time-step self-attention across sensor channels; dropout 0.1; FC fusion of C·F features to 2F with
/// ReLU; LSTM(2F); temporal weighted aggregation; linear prediction. Ablations follow the commented classes of the
/// reference: <c>no-conv</c> (no conv layers, F forced to 1, hidden 2), <c>no-channel-attention</c>,
/// <c>no-channel-fusion</c> (LSTM and aggregation on C·F), <c>no-lstm</c>, <c>no-temporal-attention</c> (last step);
/// in every ablation the dropout moves to just before the prediction layer, as in the reference's ablation classes.
/// The constructor runs the conv layers once on <c>rand(1,1,T,C)</c> in training mode as the reference does
/// (consumes the RNG, updates BatchNorm running statistics). The reference's <c>ReLU(inplace=True)</c> is out of
/// place here (same values).
/// </summary>
public sealed class TinyHarModel : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>>? layers_conv;
    private readonly ChannelSelfAttention? channel_interaction;
    private readonly FcFusion? channel_fusion;
    private readonly ReLU activation;
    private readonly TemporalLstm? temporal_interaction;
    private readonly Dropout dropout;
    private readonly TemporalWeightedAggregation? temporal_fusion;
    private readonly Linear prediction;
    private readonly string variant;

    public TinyHarModel(ModelSpec spec, InputShape shape) : base("TinyHAR")
    {
        Native.TorchSetup.EnsureInitialized();
        spec = spec.Resolve();
        variant = spec.Variant;
        long c = shape.Channels;
        long f = variant == ModelVariant.NoConv ? 1 : spec.Filters!.Value;
        long hidden = 2 * f;
        if (variant != ModelVariant.NoConv)
        {
            long len = shape.Window;
            for (int i = 0; i < 4; i++)
            {
                if (len < 5) throw new TinierHarException($"window T={shape.Window} is too short for TinyHAR's convolutions (needs T >= 25)");
                len = i % 2 == 1 ? (len - 5) / 2 + 1 : len - 4;
            }
            layers_conv = new ModuleList<Module<Tensor, Tensor>>();
            long cin = 1;
            for (int i = 0; i < 4; i++)
            {
                layers_conv.Add(Sequential(Conv2d(cin, f, (5, 1), stride: (i % 2 == 1 ? 2 : 1, 1)), ReLU(), BatchNorm2d(f)));
                cin = f;
            }
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var probe = torch.rand(1, 1, shape.Window, shape.Channels);
            foreach (var layer in layers_conv) probe = layer.call(probe);
        }
        if (variant != ModelVariant.NoChannelAttention) channel_interaction = new ChannelSelfAttention(f);
        long temporalWidth = hidden;
        if (variant == ModelVariant.NoChannelFusion) temporalWidth = c * f;
        else channel_fusion = new FcFusion(c * f, hidden);
        activation = ReLU();
        if (variant != ModelVariant.NoLstm) temporal_interaction = new TemporalLstm(temporalWidth);
        dropout = Dropout(spec.Dropout!.Value);
        if (variant != ModelVariant.NoTemporalAttention) temporal_fusion = new TemporalWeightedAggregation(temporalWidth);
        prediction = Linear(temporalWidth, shape.Classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (layers_conv is not null)
            foreach (var layer in layers_conv) x = layer.call(x);              // (B, F, L, C)
        x = x.permute(0, 3, 2, 1);                                           // (B, C, L, F)
        long b = x.shape[0], c = x.shape[1], l = x.shape[2];
        if (channel_interaction is not null)
        {
            var steps = new Tensor[l];
            for (long t = 0; t < l; t++) steps[t] = channel_interaction.call(x.select(2, t)).unsqueeze(2);
            x = torch.cat(steps, 2);                                         // (B, C, L, F)
        }
        bool full = variant == ModelVariant.Full;
        if (full) x = dropout.call(x);
        x = x.permute(0, 2, 1, 3).reshape(b, l, -1);                         // (B, L, C·F), sensor-major
        if (channel_fusion is not null) x = activation.call(channel_fusion.call(x));
        if (temporal_interaction is not null) x = temporal_interaction.call(x);
        x = temporal_fusion is not null ? temporal_fusion.call(x) : x.select(1, -1);
        return prediction.call(full ? x : dropout.call(x));
    }
}
