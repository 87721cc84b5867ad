using TinierHar.Interop;
using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Analysis;

/// <summary>Outcome of comparing our forward pass of the reference MHEALTH checkpoint with the reference's logits.</summary>
/// <param name="Rows">Windows compared (165).</param>
/// <param name="MaxAbsDifference">max |our logits − reference logits|.</param>
/// <param name="ArgmaxAgreements">Rows where our argmax equals the reference's argmax.</param>
/// <param name="Passed">MaxAbsDifference ≤ <see cref="GoldenCheck.Tolerance"/> and every argmax agrees.</param>
/// <param name="LabelAgreements">Rows where our argmax equals the stored label (the reference's is 165/165).</param>
public sealed record GoldenResult(int Rows, double MaxAbsDifference, int ArgmaxAgreements, bool Passed, int LabelAgreements = 0);

/// <summary>
/// The golden check of docs/reference.md section 10: <c>fold4_best.pth</c> (TinierHAR F=4 M=4 H=16 trained by the reference on
/// MHEALTH, T=200, C=23, K=12) loaded strictly into our TinierHAR, run in eval mode on <c>fold4_test_batch_x.npy</c>
/// and compared with <c>fold4_test_outputs.npy</c>.
/// </summary>
public static class GoldenCheck
{
    public const double Tolerance = 1e-4;
    public const string CheckpointFile = "fold4_best.pth", InputFile = "fold4_test_batch_x.npy", LabelFile = "fold4_test_batch_y.npy", OutputFile = "fold4_test_outputs.npy";

    /// <summary>The MHEALTH shape of the checkpoint.</summary>
    public static InputShape Shape { get; } = new(200, 23, 12);

    /// <summary>Runs the check on a folder holding the four files (e.g. <c>shared/reference/tinierhar-mhealth</c>).</summary>
    public static GoldenResult Run(string referenceDir)
    {
        if (!Directory.Exists(referenceDir)) throw new TinierHarException($"{referenceDir}: reference folder not found");
        foreach (var f in new[] { CheckpointFile, InputFile, OutputFile })
            if (!File.Exists(Path.Combine(referenceDir, f))) throw new TinierHarException($"{Path.Combine(referenceDir, f)}: file not found");
        using var model = ModelCatalog.Create(new ModelSpec(ModelCatalog.TinierHar), Shape);
        Checkpoint.Load(model, Path.Combine(referenceDir, CheckpointFile));
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = Npy.ReadTensor(Path.Combine(referenceDir, InputFile));
        var expected = Npy.ReadTensor(Path.Combine(referenceDir, OutputFile));
        if (x.dim() != 4 || x.shape[1] != 1 || x.shape[2] != Shape.Window || x.shape[3] != Shape.Channels)
            throw new TinierHarException($"{Path.Combine(referenceDir, InputFile)}: expected (N, 1, {Shape.Window}, {Shape.Channels}), got ({string.Join(", ", x.shape)})");
        if (expected.dim() != 2 || expected.shape[0] != x.shape[0] || expected.shape[1] != Shape.Classes)
            throw new TinierHarException($"{Path.Combine(referenceDir, OutputFile)}: expected ({x.shape[0]}, {Shape.Classes}), got ({string.Join(", ", expected.shape)})");
        using var _ = torch.no_grad();
        var logits = model.call(x.to_type(ScalarType.Float32));
        var exp = expected.to_type(ScalarType.Float32);
        double maxAbs = (logits - exp).abs().max().item<float>();
        var ours = logits.argmax(1);
        int agree = (int)ours.eq(exp.argmax(1)).sum().item<long>();
        int labels = 0;
        var labelPath = Path.Combine(referenceDir, LabelFile);
        if (File.Exists(labelPath)) labels = (int)ours.eq(Npy.ReadTensor(labelPath)).sum().item<long>();
        int rows = (int)x.shape[0];
        return new GoldenResult(rows, maxAbs, agree, maxAbs <= Tolerance && agree == rows, labels);
    }
}
