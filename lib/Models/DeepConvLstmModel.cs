using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TinierHar.Models;

/// <summary>
/// DeepConvLSTM's block (reference models/deepconvlstm.py <c>ConvBlock</c>, batch norm off): <c>Conv2d(in,F,(5,1))</c>
/// → ReLU → <c>Conv2d(F,F,(5,1), stride (2,1))</c> → ReLU, one ReLU module used twice (out of place here; the
/// reference's is in place, same values).
/// </summary>
public sealed class DeepConvBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly ReLU relu;

    public DeepConvBlock(long cin, long filters) : base("ConvBlock")
    {
        conv1 = Conv2d(cin, filters, (5, 1));
        relu = ReLU();
        conv2 = Conv2d(filters, filters, (5, 1), stride: (2, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => relu.call(conv2.call(relu.call(conv1.call(x))));
}

/// <summary>
/// DeepConvLSTM (Ordóñez and Roggen 2016) as in the TinierHAR reference (models/deepconvlstm.py, model.yaml:
/// 2 blocks × 2 convs of 64 filters, kernel 5, no padding, no batch norm; dropout 0.5; LSTM(128) on features
/// (filter·C + sensor); last time step; linear classifier). Ablations (docs/reference.md section 7, no reference code; inferred
/// from its parameter/MAC records): <c>no-conv</c> = dropout → LSTM(128) on the raw <c>(B,T,C)</c> → last step →
/// <c>Linear(128,K)</c>; <c>no-lstm</c> = conv blocks → dropout → <c>Linear(64,128)</c> at every (time, sensor)
/// position (module <c>dense</c>) → last time step → <c>Linear(128·C, K)</c>. Where the reference is silent we add
/// no activation and keep the dropout where the full model has it.
/// </summary>
public sealed class DeepConvLstmModel : Module<Tensor, Tensor>
{
    private readonly ModuleList<DeepConvBlock>? conv_blocks;
    private readonly ModuleList<LSTM>? lstm_layers;
    private readonly Linear? dense;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public DeepConvLstmModel(ModelSpec spec, InputShape shape) : base("DeepConvLSTM")
    {
        Native.TorchSetup.EnsureInitialized();
        spec = spec.Resolve();
        long f = spec.Filters!.Value, units = spec.RecurrentUnits!.Value, c = shape.Channels;
        if (spec.Variant != ModelVariant.NoConv)
        {
            conv_blocks = new ModuleList<DeepConvBlock>(new DeepConvBlock(1, f), new DeepConvBlock(f, f));
            long l = shape.Window;
            for (int i = 0; i < 2; i++) l = ((l - 4) - 5) / 2 + 1;
            if (shape.Window < 13 || l < 1) throw new TinierHarException($"window T={shape.Window} is too short for DeepConvLSTM's convolutions");
        }
        dropout = Dropout(spec.Dropout!.Value);
        if (spec.Variant == ModelVariant.NoLstm)
        {
            dense = Linear(f, units);
            fc = Linear(units * c, shape.Classes);
        }
        else
        {
            long input = conv_blocks is null ? c : f * c;
            lstm_layers = new ModuleList<LSTM>(LSTM(input, units, batchFirst: true));
            fc = Linear(units, shape.Classes);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (conv_blocks is not null)
            foreach (var block in conv_blocks) x = block.call(x);                 // (B, F, L, C)
        if (dense is not null)
        {
            var y = dense.call(dropout.call(x.permute(0, 2, 3, 1)));              // (B, L, C, units)
            return fc.call(y.select(1, -1).flatten(1));                           // (B, C·units)
        }
        x = conv_blocks is null ? x.squeeze(1) : x.permute(0, 2, 1, 3).reshape(x.shape[0], x.shape[2], -1);
        x = dropout.call(x);
        foreach (var lstm in lstm_layers!) x = lstm.call(x, null).Item1;
        return fc.call(x.select(1, -1));
    }
}
