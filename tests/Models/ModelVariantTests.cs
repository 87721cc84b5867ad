using System.Reflection;
using TinierHar.Models;

namespace TinierHar.Tests.Models;

/// <summary>The variant names: the constants are exactly the catalog's variants, and a bad name is refused where it enters.</summary>
public class ModelVariantTests
{
    [Fact]
    public void The_constants_are_the_catalog_variants()
    {
        var constants = typeof(ModelVariant).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order().ToList();
        var catalog = ModelCatalog.Variants.Values.SelectMany(v => v).Append(ModelVariant.Full).Distinct().Order().ToList();
        Assert.Equal(catalog, constants);
    }

    [Fact]
    public void An_unknown_variant_is_refused_with_the_valid_names()
    {
        var e = Assert.Throws<TinierHarException>(() => new ModelSpec(ModelCatalog.DeepConvLstm, ModelVariant.NoGru).Resolve());
        Assert.Equal("unknown variant 'no-gru' for deepconvlstm (expected full or one of: no-conv, no-lstm)", e.Message);
        Assert.Equal(ModelVariant.NoLstm, new ModelSpec("DeepConvLSTM", " No-LSTM ").Resolve().Variant); // normalised where it enters
    }
}
