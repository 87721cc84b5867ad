using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Models;

/// <summary>Names, variants and defaults of the three models; builds a model from a <see cref="ModelSpec"/>.</summary>
public static class ModelCatalog
{
    public const string TinierHar = "tinierhar", TinyHar = "tinyhar", DeepConvLstm = "deepconvlstm";

    public static IReadOnlyList<string> Models { get; } = [TinierHar, TinyHar, DeepConvLstm];

    /// <summary>Ablation variants per model (docs/reference.md section 7); "full" is always allowed.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Variants { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [TinierHar] = [ModelVariant.NoResidual, ModelVariant.NoAttention, ModelVariant.NoGru, ModelVariant.NoConv],
        [TinyHar] = [ModelVariant.NoConv, ModelVariant.NoChannelAttention, ModelVariant.NoChannelFusion, ModelVariant.NoLstm, ModelVariant.NoTemporalAttention],
        [DeepConvLstm] = [ModelVariant.NoConv, ModelVariant.NoLstm],
    };

    /// <summary>Checks names and fills defaults; throws <see cref="TinierHarException"/> naming the bad value.</summary>
    public static ModelSpec Resolve(ModelSpec spec)
    {
        var model = (spec.Model ?? "").Trim().ToLowerInvariant();
        if (!Variants.TryGetValue(model, out var variants))
            throw new TinierHarException($"unknown model '{spec.Model}' (expected one of: {string.Join(", ", Models)})");
        var variant = string.IsNullOrWhiteSpace(spec.Variant) ? ModelVariant.Full : spec.Variant.Trim().ToLowerInvariant();
        if (variant != ModelVariant.Full && !variants.Contains(variant))
            throw new TinierHarException($"unknown variant '{spec.Variant}' for {model} (expected full or one of: {string.Join(", ", variants)})");
        var pooling = spec.NoAttentionPooling.Trim().ToLowerInvariant();
        if (pooling is not ("mean" or "last"))
            throw new TinierHarException($"no-attention pooling must be 'mean' or 'last', got '{spec.NoAttentionPooling}'");
        var r = model switch
        {
            TinierHar => spec with { Filters = spec.Filters ?? 4, Blocks = spec.Blocks ?? 4, RecurrentUnits = spec.RecurrentUnits ?? 16, Dropout = spec.Dropout ?? 0.3 },
            TinyHar => spec with { Filters = spec.Filters ?? 20, Blocks = null, RecurrentUnits = null, Dropout = spec.Dropout ?? 0.1 },
            _ => spec with { Filters = spec.Filters ?? 64, Blocks = null, RecurrentUnits = spec.RecurrentUnits ?? 128, Dropout = spec.Dropout ?? 0.5 },
        };
        r = r with { Model = model, Variant = variant, NoAttentionPooling = pooling };
        if (r.Filters < 1) throw new TinierHarException($"filters must be >= 1, got {r.Filters}");
        if (r.Blocks is < 0) throw new TinierHarException($"blocks must be >= 0, got {r.Blocks}");
        if (r.RecurrentUnits is < 1) throw new TinierHarException($"recurrent units must be >= 1, got {r.RecurrentUnits}");
        if (r.Dropout is < 0 or >= 1) throw new TinierHarException($"dropout must be in [0, 1), got {r.Dropout}");
        return r;
    }

    /// <summary>
    /// Inverse of <see cref="ModelSpec.RunVariant"/>: "full-F2-M2-H8" → <c>ModelSpec(model, "full", 2, 2, 8)</c>.
    /// Tokens after the variant: F (filters), M (blocks), H (recurrent units), D (dropout), P (no-attention pooling).
    /// Throws <see cref="TinierHarException"/> naming the bad text.
    /// </summary>
    public static ModelSpec ParseRunVariant(string model, string runVariant)
    {
        var m = (model ?? "").Trim().ToLowerInvariant();
        if (!Variants.TryGetValue(m, out var variants))
            throw new TinierHarException($"unknown model '{model}' (expected one of: {string.Join(", ", Models)})");
        var text = (runVariant ?? "").Trim().ToLowerInvariant();
        var variant = variants.Append(ModelVariant.Full).Where(v => text == v || text.StartsWith(v + "-", StringComparison.Ordinal))
            .OrderByDescending(v => v.Length).FirstOrDefault()
            ?? throw new TinierHarException($"run variant '{runVariant}' of {m} does not start with full or one of: {string.Join(", ", variants)}");
        var spec = new ModelSpec(m, variant);
        var rest = text[variant.Length..];
        if (rest.Length > 0)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            foreach (var token in rest[1..].Split('-'))
            {
                if (token.Length < 2) throw new TinierHarException($"run variant '{runVariant}': bad part '{token}'");
                var value = token[1..];
                bool okInt = int.TryParse(value, System.Globalization.NumberStyles.None, inv, out var n);
                spec = token[0] switch
                {
                    'f' when okInt => spec with { Filters = n },
                    'm' when okInt => spec with { Blocks = n },
                    'h' when okInt => spec with { RecurrentUnits = n },
                    'd' when double.TryParse(value, System.Globalization.NumberStyles.Float, inv, out var dr) => spec with { Dropout = dr },
                    'p' => spec with { NoAttentionPooling = value },
                    _ => throw new TinierHarException($"run variant '{runVariant}': bad part '{token}' (expected F<n>, M<n>, H<n>, D<x> or P<mean|last>)"),
                };
            }
        }
        return Resolve(spec);
    }

    /// <summary>Builds the model for windows of <paramref name="shape"/>, initialised as PyTorch's defaults.</summary>
    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, InputShape shape)
    {
        shape.Validate();
        var s = Resolve(spec);
        return s.Model switch
        {
            TinierHar => new TinierHarModel(s, shape),
            TinyHar => new TinyHarModel(s, shape),
            _ => new DeepConvLstmModel(s, shape),
        };
    }
}
