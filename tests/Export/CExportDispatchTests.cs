using System.Text.Json;
using System.Text.Json.Nodes;
using TinierHar.Data;
using TinierHar.Export;
using TinierHar.Interop;
using TinierHar.Models;
using TorchSharp;

namespace TinierHar.Tests.Export;

/// <summary>
/// <see cref="RunExport"/>'s one dispatch for the C format: the committed trained HAPT folds of TinyHAR and DeepConvLSTM
/// export to their own C pair, which compiles and matches TorchSharp on 16 random windows (1e-4 absolute); TinierHAR's
/// ablations go to the TinierHAR exporter; what no exporter expresses (another model's ablation, int8 of anything but
/// TinierHAR full) is refused naming it. Seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class CExportDispatchTests
{
    static string HaptFold(string model) => Path.Combine(TestPaths.Repository, "results", "hapt", $"{model}-full", "paper-seed1", "fold0");

    [Theory]
    [InlineData(ModelCatalog.TinyHar)]
    [InlineData(ModelCatalog.DeepConvLstm)]
    public void Committed_HAPT_fold_exports_and_matches_TorchSharp(string model)
    {
        var root = CHarness.TempDir("export-dispatch");
        try
        {
            var outDir = Path.Combine(root, "c");
            var written = RunExport.Export(HaptFold(model), new ExportRequest(ExportFormat.C), outDir);
            Assert.Equal([$"{model}.c", $"{model}.h"], written.Select(Path.GetFileName).Order());
            using var source = ExportSource.FromRun(HaptFold(model));
            torch.manual_seed(31);
            using var windows = torch.randn(16, 1, source.Shape.Window, source.Shape.Channels);
            var expected = CHarness.RunTorch(source.Model, windows);
            var actual = CHarness.RunC(CHarness.Compile(outDir, model), windows, source.Shape.Classes);
            var diff = CHarness.MaxAbsDiff(expected, actual);
            Assert.True(diff <= 1e-4, $"C logits differ from TorchSharp by {diff:E3}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TinierHAR_ablation_run_exports_to_tinierhar_c()
    {
        var root = CHarness.TempDir("export-dispatch");
        try
        {
            var run = MakeRun(root, new ModelSpec(ModelCatalog.TinierHar, ModelVariant.NoGru));
            var written = RunExport.Export(run, new ExportRequest(ExportFormat.C), Path.Combine(root, "c"));
            Assert.Equal(["tinierhar.c", "tinierhar.h"], written.Select(Path.GetFileName).Order());
            Assert.Contains("TinierHAR (no-gru; F=4, M=4)", File.ReadAllText(written.Single(p => p.EndsWith(".c", StringComparison.Ordinal))));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(ModelCatalog.TinyHar, ModelVariant.NoLstm, false, "does not support tinyhar no-lstm")]
    [InlineData(ModelCatalog.DeepConvLstm, ModelVariant.NoConv, false, "does not support deepconvlstm no-conv")]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.NoGru, true, "--int8 supports the C export of TinierHAR full only")]
    [InlineData(ModelCatalog.DeepConvLstm, ModelVariant.Full, true, "--int8 supports the C export of TinierHAR full only")]
    public void Unsupported_combinations_are_refused_naming_them(string model, string variant, bool int8, string message)
    {
        var root = CHarness.TempDir("export-dispatch");
        try
        {
            var run = MakeRun(root, new ModelSpec(model, variant));
            var outDir = Path.Combine(root, "c");
            var e = Assert.Throws<TinierHarException>(() => RunExport.Export(run, new ExportRequest(ExportFormat.C, int8), outDir));
            Assert.Contains(message, e.Message);
            Assert.False(Directory.Exists(outDir));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A run folder for HAPT windows: the committed TinierHAR fold's config.json with <paramref name="spec"/>,
    /// and a freshly initialised model's best.pth.</summary>
    static string MakeRun(string root, ModelSpec spec)
    {
        var run = Path.Combine(root, "run");
        Directory.CreateDirectory(run);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(HaptFold(ModelCatalog.TinierHar), "config.json")))!;
        config["model"] = JsonSerializer.SerializeToNode(spec);
        File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
        var info = DatasetRegistry.Get("hapt");
        torch.manual_seed(37);
        using var model = ModelCatalog.Create(spec, new InputShape(info.WindowT, info.C, info.K));
        Checkpoint.Save(model, Path.Combine(run, "best.pth"));
        return run;
    }
}
