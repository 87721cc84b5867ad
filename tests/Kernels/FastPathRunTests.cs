using TinierHar.Interop;
using TinierHar.Kernels;
using TinierHar.Models;
using TinierHar.Tests.Training;
using TinierHar.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Tests.Kernels;

/// <summary>The fast path on the reference checkpoint and in training runs.</summary>
[Collection(TorchRngCollection.Name)]
public class FastPathRunTests
{
    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Reference_mhealth_checkpoint_reproduces_the_golden_logits_on_the_fast_path()
    {
        var dir = Path.Combine(TestPaths.Reference, "tinierhar-mhealth");
        using var model = ModelCatalog.Create(new ModelSpec(ModelCatalog.TinierHar), new InputShape(200, 23, 12));
        Checkpoint.Load(model, Path.Combine(dir, "fold4_best.pth"));
        model.eval();
        bool normRan = false;
        var removers = model.modules().OfType<BatchNorm2d>().Select(m => m.register_forward_hook((_, _, y) => { normRan = true; return y; })).ToList();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var logits = model.call(Npy.ReadTensor(Path.Combine(dir, "fold4_test_batch_x.npy")));
        removers.ForEach(r => r.remove());
        Assert.False(normRan, "a conv block ran its BatchNorm module: the plain path was used");
        double maxAbs = (logits - Npy.ReadTensor(Path.Combine(dir, "fold4_test_outputs.npy"))).abs().max().item<float>();
        Assert.True(maxAbs <= 1e-4, $"max |logits - golden| = {maxAbs:E3}");
        Assert.True(logits.argmax(1).equal(Npy.ReadTensor(Path.Combine(dir, "fold4_test_batch_y.npy"))).all().item<bool>());
    }

    [Fact]
    public void Same_seed_one_thread_gives_identical_metrics_on_the_fast_path()
    {
        var spec = new ModelSpec(ModelCatalog.TinierHar);
        using (var probe = ModelCatalog.Create(spec, new InputShape(32, 3, 3)))
            Assert.Equal("fast", KernelSwitch.EngineFor(probe, ScalarType.Float32));
        var config = TrainingConfig.FromPreset("quick") with { Epochs = 3, BatchSize = 16, Seed = 5, Threads = 1 };
        var data = TrainingData.Load();
        using var f1 = data.Prepare(0, 5);
        var a = Trainer.Run(f1, spec, config);
        using var f2 = data.Prepare(0, 5);
        var b = Trainer.Run(f2, spec, config);
        Assert.Equal(a.TestPredictions, b.TestPredictions);
        Assert.Equal((a.Test.Accuracy, a.Test.MacroF1, a.Test.WeightedF1), (b.Test.Accuracy, b.Test.MacroF1, b.Test.WeightedF1));
        Assert.Equal(a.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), b.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void Float64_and_the_plain_switch_select_the_plain_engine()
    {
        using var model = ModelCatalog.Create(new ModelSpec(ModelCatalog.TinierHar), new InputShape(32, 3, 3));
        Assert.Equal("plain", KernelSwitch.EngineFor(model, ScalarType.Float64));
        using var x = torch.randn(2, 1, 32, 3);
        Assert.True(KernelSwitch.UseFast(x));
        using (KernelSwitch.Plain()) Assert.False(KernelSwitch.UseFast(x));
        using var x64 = x.to(ScalarType.Float64);
        Assert.False(KernelSwitch.UseFast(x64));
    }

    [Theory]
    [InlineData(ModelCatalog.TinierHar, "full", "fast")]
    [InlineData(ModelCatalog.TinierHar, "no-conv", "fast")]   // the GRU alone
    [InlineData(ModelCatalog.TinierHar, "no-gru", "fast")]    // the conv blocks alone
    [InlineData(ModelCatalog.TinyHar, "full", "plain")]
    [InlineData(ModelCatalog.DeepConvLstm, "full", "plain")]
    public void Engine_names_the_models_with_a_fast_path(string name, string variant, string engine)
    {
        using var model = ModelCatalog.Create(new ModelSpec(name, variant), new InputShape(32, 3, 3));
        Assert.Equal(engine, KernelSwitch.EngineFor(model, ScalarType.Float32));
    }
}
