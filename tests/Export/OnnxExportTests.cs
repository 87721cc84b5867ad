using System.Text.Json;
using System.Text.Json.Nodes;
using TinierHar.Data;
using TinierHar.Export;
using TinierHar.Interop;
using TinierHar.Models;
using TinierHar.Tests.Cli;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// The ONNX export run by ONNX Runtime against TorchSharp's plain eval forward, 16 random windows in one batched call,
/// 1e-4 absolute: seeded random models of the three architectures (BatchNorm statistics and affine parameters and
/// TinyHAR's γ scalars set to non-trivial values) and TinierHAR's ablations; the committed HAPT folds through the CLI
/// (<c>--run</c> and <c>--checkpoint</c>); the reference checkpoint against its golden logits; the file's IR version and
/// opset; and the refusals (one line, exit 2, nothing written). Seeds the global RNG and redirects the console, hence
/// the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class OnnxExportTests(ITestOutputHelper output)
{
    static string HaptFold(string model) => Path.Combine(TestPaths.Repository, "results", "hapt", $"{model}-full", "paper-seed1", "fold0");

    [Theory]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.Full, 400, 6, 12)]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.Full, 200, 23, 12)]
    [InlineData(ModelCatalog.TinyHar, ModelVariant.Full, 400, 6, 12)]
    [InlineData(ModelCatalog.TinyHar, ModelVariant.Full, 200, 23, 12)]
    [InlineData(ModelCatalog.DeepConvLstm, ModelVariant.Full, 400, 6, 12)]
    [InlineData(ModelCatalog.DeepConvLstm, ModelVariant.Full, 200, 23, 12)]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.NoResidual, 200, 6, 12)]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.NoAttention, 200, 6, 12)]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.NoGru, 200, 6, 12)]
    [InlineData(ModelCatalog.TinierHar, ModelVariant.NoConv, 200, 6, 12)]
    public void Onnx_Runtime_matches_TorchSharp(string modelName, string variant, int window, int channels, int classes)
    {
        torch.manual_seed(7);
        var spec = new ModelSpec(modelName, variant);
        var shape = new InputShape(window, channels, classes);
        using var model = ModelCatalog.Create(spec, shape);
        CExportTests.PerturbBatchNorm(model);
        PerturbGammas(model);
        if (variant == ModelVariant.NoResidual) MatchRunningStatistics(model, shape);
        model.eval();
        var export = Export(model, spec, shape);
        Assert.Equal(modelName + ".onnx", export.FileName);
        Assert.Equal((OnnxModelProto.IrVersion, OnnxModelProto.Opset), OnnxHarness.Versions(export.Model));
        AssertMatches(export.Model, model, shape, seed: 8);
    }

    [Fact]
    public void Tinierhar_no_attention_with_last_step_pooling_matches_TorchSharp()
    {
        torch.manual_seed(7);
        var spec = new ModelSpec(ModelCatalog.TinierHar, ModelVariant.NoAttention, NoAttentionPooling: "last");
        var shape = new InputShape(200, 6, 12);
        using var model = ModelCatalog.Create(spec, shape);
        CExportTests.PerturbBatchNorm(model);
        model.eval();
        AssertMatches(Export(model, spec, shape).Model, model, shape, seed: 8);
    }

    [Theory]
    [InlineData(ModelCatalog.TinierHar)]
    [InlineData(ModelCatalog.TinyHar)]
    [InlineData(ModelCatalog.DeepConvLstm)]
    public void Committed_HAPT_fold_exports_through_the_CLI_and_matches_TorchSharp(string modelName)
    {
        var root = CHarness.TempDir("onnx-cli");
        try
        {
            var fold = HaptFold(modelName);
            var outDir = Path.Combine(root, "onnx");
            var (code, stdout, stderr) = CliRunner.Run("export", "--run", fold, "--format", "onnx", "--out", outDir);
            Assert.True(code == 0, stderr);
            var file = Path.Combine(outDir, modelName + ".onnx");
            Assert.Equal($"wrote {file}", stdout.TrimEnd());
            Assert.Equal([file], Directory.GetFiles(outDir));
            Assert.Equal([outDir], Directory.GetFileSystemEntries(root)); // no temporary folder left
            var bytes = File.ReadAllBytes(file);
            Assert.Equal((8L, 17L), OnnxHarness.Versions(bytes));

            var (model, shape) = LoadFold(fold);
            using (model) AssertMatches(bytes, model, shape, seed: 11);

            // The same checkpoint given as --checkpoint with --model and --dataset: the same logits.
            var fromCheckpoint = Path.Combine(root, "checkpoint");
            (code, _, stderr) = CliRunner.Run("export", "--checkpoint", Path.Combine(fold, "best.pth"), "--model", modelName,
                "--dataset", "hapt", "--format", "onnx", "--out", fromCheckpoint);
            Assert.True(code == 0, stderr);
            torch.manual_seed(12);
            using var windows = torch.randn(4, 1, shape.Window, shape.Channels);
            Assert.Equal(OnnxHarness.Run(file, windows), OnnxHarness.Run(Path.Combine(fromCheckpoint, modelName + ".onnx"), windows));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Reference_checkpoint_exports_and_reproduces_the_golden_logits()
    {
        var root = CHarness.TempDir("onnx-ckpt");
        try
        {
            var outDir = Path.Combine(root, "onnx");
            var (code, _, stderr) = CliRunner.Run("export", "--checkpoint", TestPaths.Checkpoint("fold4_best.pth"), "--model", "tinierhar",
                "--dataset", "mhealth", "--format", "onnx", "--out", outDir);
            Assert.True(code == 0, stderr);
            using var x = Npy.ReadTensor(TestPaths.Checkpoint("fold4_test_batch_x.npy")).to(float32);
            using var golden = Npy.ReadTensor(TestPaths.Checkpoint("fold4_test_outputs.npy")).to(float32);
            var actual = OnnxHarness.Run(Path.Combine(outDir, "tinierhar.onnx"), x);
            var diff = CHarness.MaxAbsDiff(CHarness.ToMatrix(golden), actual);
            Assert.True(diff <= 1e-4, $"ONNX logits differ from the golden logits by {diff:E3}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Int8_with_onnx_is_refused_in_one_line()
    {
        var root = CHarness.TempDir("onnx-err");
        try
        {
            var run = Path.Combine(root, "run");
            Directory.CreateDirectory(run);
            foreach (var file in new[] { "config.json", "best.pth" }) File.Copy(Path.Combine(HaptFold(ModelCatalog.TinierHar), file), Path.Combine(run, file));
            ExportCommandTests.AssertFails(root, run, ["--format", "onnx", "--int8"],
                "--int8 supports the C export of TinierHAR full only", "tinierhar full as onnx");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(ModelCatalog.TinyHar, ModelVariant.NoLstm)]
    [InlineData(ModelCatalog.DeepConvLstm, ModelVariant.NoConv)]
    public void Baseline_ablation_is_refused_naming_the_variant(string modelName, string variant)
    {
        var root = CHarness.TempDir("onnx-err");
        try
        {
            var run = Path.Combine(root, "run");
            Directory.CreateDirectory(run);
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(HaptFold(ModelCatalog.TinierHar), "config.json")))!;
            var spec = new ModelSpec(modelName, variant);
            config["model"] = JsonSerializer.SerializeToNode(spec);
            File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
            var info = DatasetRegistry.Get("hapt");
            using (var model = ModelCatalog.Create(spec, new InputShape(info.WindowT, info.C, info.K)))
                Checkpoint.Save(model, Path.Combine(run, "best.pth"));
            ExportCommandTests.AssertFails(root, run, ["--format", "onnx"], $"does not support {modelName} {variant}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    static OnnxExport Export(nn.Module<Tensor, Tensor> model, ModelSpec spec, InputShape shape) => spec.Model switch
    {
        ModelCatalog.TinierHar => TinierHarOnnx.Export(model, spec, shape, "test"),
        ModelCatalog.TinyHar => TinyHarOnnx.Export(model, spec, shape, "test"),
        _ => DeepConvLstmOnnx.Export(model, spec, shape, "test"),
    };

    /// <summary>ONNX Runtime's logits of 16 seeded random windows within 1e-4 of TorchSharp's plain eval forward.</summary>
    void AssertMatches(byte[] onnx, nn.Module<Tensor, Tensor> model, InputShape shape, int seed)
    {
        var dir = CHarness.TempDir("onnx");
        try
        {
            var path = Path.Combine(dir, "model.onnx");
            File.WriteAllBytes(path, onnx);
            torch.manual_seed(seed);
            using var windows = torch.randn(16, 1, shape.Window, shape.Channels);
            var expected = CHarness.RunTorch(model, windows);
            var actual = OnnxHarness.Run(path, windows);
            var diff = CHarness.MaxAbsDiff(expected, actual);
            var spread = CHarness.Spread(expected);
            output.WriteLine($"ONNX vs TorchSharp: max abs diff {diff:E3}, logits spread {spread:E3} ({model.GetName()}, T={shape.Window}, C={shape.Channels})");
            Assert.True(diff <= 1e-4, $"ONNX logits differ from TorchSharp by {diff:E3}");
            Assert.True(spread > 1e-3, $"the logits do not vary between windows (spread {spread:E3}): the comparison would prove little");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The fold's model with its best.pth, and the HAPT window shape.</summary>
    static (nn.Module<Tensor, Tensor> Model, InputShape Shape) LoadFold(string fold)
    {
        var info = DatasetRegistry.Get("hapt");
        var shape = new InputShape(info.WindowT, info.C, info.K);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(fold, "config.json")))!["model"].Deserialize<ModelSpec>()!;
        var model = ModelCatalog.Create(spec, shape);
        Checkpoint.Load(model, Path.Combine(fold, "best.pth"));
        return (model, shape);
    }

    /// <summary>
    /// Moves the BatchNorm running statistics to those of random windows (30 training-mode forwards, momentum 0.1): without
    /// shortcuts, six blocks of random convolutions with arbitrary statistics shrink the signal until every window gets
    /// the same logits (spread ~1e-5).
    /// </summary>
    static void MatchRunningStatistics(nn.Module<Tensor, Tensor> model, InputShape shape)
    {
        using var _ = torch.no_grad();
        using var plain = TinierHar.Kernels.KernelSwitch.Plain();
        model.train();
        for (int i = 0; i < 30; i++)
        {
            using var scope = torch.NewDisposeScope();
            model.call(torch.randn(16, 1, shape.Window, shape.Channels));
        }
        model.eval();
    }

    /// <summary>Sets every learned scalar γ (TinyHAR's attention and aggregation, initialised 0) to a value in [0.5, 1.5).</summary>
    static void PerturbGammas(nn.Module model)
    {
        using var _ = torch.no_grad();
        foreach (var (_, value) in model.state_dict().Where(p => p.Key.EndsWith(".gamma", StringComparison.Ordinal)))
            value.copy_(torch.rand(value.shape) + 0.5);
    }
}
