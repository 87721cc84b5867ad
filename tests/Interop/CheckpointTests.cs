using TinierHar.Interop;
using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Interop;

/// <summary>The reference PyTorch checkpoint reproduces its golden logits; our own checkpoints round-trip.</summary>
public class CheckpointTests
{
    static string Golden(string file) => TestPaths.Checkpoint(file);

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Reference_mhealth_checkpoint_reproduces_the_golden_logits()
    {
        using var model = ModelCatalog.Create(new ModelSpec("tinierhar"), new InputShape(200, 23, 12));
        using var scope = torch.NewDisposeScope();
        var report = Checkpoint.Load(model, Golden("fold4_best.pth"));
        Assert.Equal(80, report.Loaded.Count);
        model.eval();
        var x = Npy.ReadTensor(Golden("fold4_test_batch_x.npy"));
        var y = Npy.ReadTensor(Golden("fold4_test_batch_y.npy"));
        var expected = Npy.ReadTensor(Golden("fold4_test_outputs.npy"));
        Assert.Equal(new long[] { 165, 1, 200, 23 }, x.shape);
        using (torch.no_grad())
        {
            var logits = model.call(x);
            Assert.Equal(new long[] { 165, 12 }, logits.shape);
            double maxAbs = (logits - expected).abs().max().item<float>();
            Assert.True(maxAbs <= 1e-4, $"max |logits - golden| = {maxAbs:E3}");
            Assert.True(logits.argmax(1).equal(y).all().item<bool>(), "argmax differs from the labels");
        }
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Reference_checkpoint_has_80_tensors_with_the_model_prefix_stripped()
    {
        var sd = Checkpoint.ReadStateDict(Golden("fold4_best.pth"));
        Assert.Equal(80, sd.Count);
        Assert.Equal(new long[] { 48, 184 }, sd["gru.weight_ih_l0"].shape);
        Assert.Equal(new long[] { 12, 32 }, sd["classifier.0.weight"].shape);
        Assert.Equal(ScalarType.Int64, sd["conv_blocks.0.conv.1.num_batches_tracked"].dtype);
        long trainable = sd.Where(kv => !kv.Key.Contains("running_") && !kv.Key.EndsWith("num_batches_tracked")).Sum(kv => kv.Value.numel());
        Assert.Equal(20539, trainable);
    }

    [Theory]
    [InlineData("tinierhar", "full", "")]
    [InlineData("tinyhar", "full", "model.")]
    [InlineData("deepconvlstm", "no-lstm", "")]
    public void Own_checkpoints_round_trip(string name, string variant, string prefix)
    {
        var dir = Directory.CreateTempSubdirectory("tinierhar-ckpt-").FullName;
        try
        {
            var shape = new InputShape(128, 9, 6);
            using var a = ModelCatalog.Create(new ModelSpec(name, variant), shape);
            using var b = ModelCatalog.Create(new ModelSpec(name, variant), shape);
            a.train();
            a.call(torch.randn(4, 1, 128, 9)); // move the BatchNorm running statistics away from their init
            var path = Path.Combine(dir, "w.pth");
            Checkpoint.Save(a, path, prefix);
            Assert.Equal([path], Directory.GetFiles(dir));
            Checkpoint.Load(b, path);
            foreach (var (key, t) in a.state_dict())
                Assert.True(t.equal(b.state_dict()[key]).all().item<bool>(), key);
            a.eval(); b.eval();
            var x = torch.randn(2, 1, 128, 9);
            Assert.True(a.call(x).equal(b.call(x)).all().item<bool>());
        }
        finally { Directory.Delete(dir, true); }
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Loading_into_the_wrong_model_names_the_keys()
    {
        using var model = ModelCatalog.Create(new ModelSpec("tinierhar"), new InputShape(200, 6, 12));
        var e = Assert.Throws<TinierHarException>(() => Checkpoint.Load(model, Golden("fold4_best.pth")));
        Assert.Contains("fold4_best.pth", e.Message);
        Assert.Contains("mis-shaped keys: gru.weight_ih_l0 (checkpoint (48, 184), model (48, 48))", e.Message);

        using var tiny = ModelCatalog.Create(new ModelSpec("tinyhar"), new InputShape(200, 23, 12));
        var e2 = Assert.Throws<TinierHarException>(() => Checkpoint.Load(tiny, Golden("fold4_best.pth")));
        Assert.Contains("missing keys: layers_conv.0.0.weight", e2.Message);
        Assert.Contains("unexpected keys: attention.bias", e2.Message);
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Non_strict_load_reports_what_it_left_out()
    {
        using var model = ModelCatalog.Create(new ModelSpec("tinierhar"), new InputShape(200, 23, 7));
        var report = Checkpoint.Load(model, Golden("fold4_best.pth"), strict: false);
        Assert.Equal(["classifier.0.bias", "classifier.0.weight"], report.Mismatched.Order());
        Assert.Equal(78, report.Loaded.Count);
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Bad_files_get_one_clear_message()
    {
        var dir = Directory.CreateTempSubdirectory("tinierhar-ckpt-").FullName;
        try
        {
            using var model = ModelCatalog.Create(new ModelSpec("tinierhar"), new InputShape(200, 23, 12));
            var missing = Path.Combine(dir, "nope.pth");
            Assert.Contains("nope.pth: checkpoint file not found", Assert.Throws<TinierHarException>(() => Checkpoint.Load(model, missing)).Message);
            var garbage = Path.Combine(dir, "garbage.pth");
            File.WriteAllText(garbage, "this is not a zip file");
            var e = Assert.Throws<TinierHarException>(() => Checkpoint.Load(model, garbage));
            Assert.Contains("garbage.pth: not a readable PyTorch state_dict", e.Message);
            var truncated = Path.Combine(dir, "truncated.pth");
            var bytes = File.ReadAllBytes(Golden("fold4_best.pth"));
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            Assert.Contains("truncated.pth: not a readable PyTorch state_dict", Assert.Throws<TinierHarException>(() => Checkpoint.Load(model, truncated)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
