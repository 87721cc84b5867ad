using TinierHar.Analysis;
using TinierHar.Models;

namespace TinierHar.Tests.Analysis;

/// <summary>The TinierHAR sweep, run variants (round trip) and display names.</summary>
public class DesignSpaceTests
{
    [Fact]
    public void Sweep_has_the_nine_points_of_spec_section_7()
    {
        var sweep = DesignSpace.Sweep();
        Assert.Equal(9, sweep.Count);
        Assert.Equal([(2, 2, 8), (2, 2, 16), (2, 2, 32), (4, 4, 8), (4, 4, 16), (4, 4, 32), (8, 8, 8), (8, 8, 16), (8, 8, 32)],
            sweep.Select(s => (s.Filters!.Value, s.Blocks!.Value, s.RecurrentUnits!.Value)));
        Assert.All(sweep, s => Assert.Equal("tinierhar", s.Model));
        Assert.Equal(9, sweep.Select(s => s.RunVariant).Distinct().Count());
        Assert.Equal("full", sweep[4].RunVariant);   // (4,4,16) is the default
        Assert.Equal("full-F2-M2-H8", sweep[0].RunVariant);
        Assert.Equal("full-F4-M4-H32", sweep[5].RunVariant);
    }

    public static TheoryData<ModelSpec> Specs() =>
    [
        new ModelSpec("tinierhar"), new ModelSpec("TinierHAR", "No-GRU"), new ModelSpec("tinierhar", "full", 2, 2, 8),
        new ModelSpec("tinierhar", "no-attention", NoAttentionPooling: "last"), new ModelSpec("tinierhar", "no-residual", Dropout: 0.25),
        new ModelSpec("tinyhar", "no-channel-attention"), new ModelSpec("tinyhar", "full", 8), new ModelSpec("deepconvlstm", "no-lstm", 32, RecurrentUnits: 64),
        new ModelSpec("deepconvlstm", "no-conv", Dropout: 0.1),
    ];

    [Theory]
    [MemberData(nameof(Specs))]
    public void Run_variant_round_trips(ModelSpec spec)
    {
        var rv = spec.RunVariant;
        Assert.Equal(spec.Resolve(), DesignSpace.ParseRunVariant(spec.Model, rv));
        Assert.Equal(spec.Resolve(), ModelCatalog.ParseRunVariant(spec.Model, rv).Resolve());
    }

    [Fact]
    public void Run_variants_and_display_names()
    {
        Assert.Equal("no-gru", new ModelSpec("tinierhar", "no-gru").RunVariant);
        Assert.Equal("no-attention-F4-M4-H16-Plast", new ModelSpec("tinierhar", "no-attention", NoAttentionPooling: "last").RunVariant);
        Assert.Equal("full-F20-D0.25", new ModelSpec("tinyhar", Dropout: 0.25).RunVariant);
        Assert.Equal("no-lstm-F32-H128", new ModelSpec("deepconvlstm", "no-lstm", 32).RunVariant);
        Assert.Equal("TinierHAR", DesignSpace.DisplayName(new ModelSpec("tinierhar")));
        Assert.Equal("TinierHAR w/o GRU", DesignSpace.DisplayName(new ModelSpec("tinierhar", "no-gru")));
        Assert.Equal("TinyHAR w/o cross-channel attention", DesignSpace.DisplayName(new ModelSpec("tinyhar", "no-channel-attention")));
        Assert.Equal("DeepConvLSTM w/o LSTM", DesignSpace.DisplayName(new ModelSpec("deepconvlstm", "no-lstm")));
        Assert.Equal("TinierHAR F=2 M=2 H=8", DesignSpace.DisplayName(new ModelSpec("tinierhar", "full", 2, 2, 8)));
        foreach (var bad in new[] { "nope", "full-X3", "full-F", "no-gru-Fx" })
            Assert.Throws<TinierHarException>(() => ModelCatalog.ParseRunVariant("tinierhar", bad));
        Assert.Throws<TinierHarException>(() => ModelCatalog.ParseRunVariant("tinierhar", "full-Pmax"));
    }

    [Fact]
    public void Run_variant_is_not_written_to_config_json()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new ModelSpec("tinierhar", "full", 2, 2, 8).Resolve());
        Assert.DoesNotContain("RunVariant", json);
    }
}
