namespace TinierHar.Models;

/// <summary>
/// The variant names of the three models (docs/reference.md section 7): the full model and the ablations, each
/// removing one component. <see cref="ModelCatalog.Resolve"/> checks a name where it enters (options, plans, result
/// rows); code compares against these constants, never against literals.
/// </summary>
public static class ModelVariant
{
    public const string Full = "full";
    public const string NoResidual = "no-residual", NoAttention = "no-attention", NoGru = "no-gru", NoConv = "no-conv";
    public const string NoChannelAttention = "no-channel-attention", NoChannelFusion = "no-channel-fusion", NoLstm = "no-lstm",
        NoTemporalAttention = "no-temporal-attention";
}
