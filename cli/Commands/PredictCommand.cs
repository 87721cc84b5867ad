using TinierHar.Interop;
using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Cli.Commands;

/// <summary><c>tinierhar predict</c>: eval-mode logits of a checkpoint on windows from a .npy file.</summary>
public sealed class PredictCommand : ICommand
{
    public string Name => "predict";
    public string Summary => "eval-mode logits (--model M [--variant V] --checkpoint F.pth --input X.npy --output LOGITS.npy)";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string>());
        var spec = ModelOptions.Read(a);
        string checkpoint = a.Require("checkpoint"), input = a.Require("input"), output = a.Require("output");
        var batch = a.GetInt("batch-size", 1) ?? 256;
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");

        var state = Checkpoint.ReadStateDict(checkpoint);
        try
        {
            var classifier = ClassifierWeight(spec);
            if (!state.TryGetValue(classifier, out var w) || w.dim() != 2)
                throw new TinierHarException($"{checkpoint}: has no '{classifier}' matrix, so it is not a {spec.Model} ({spec.Variant}) checkpoint");
            int k = (int)w.shape[0];

            using var x = Npy.ReadTensor(input);
            if (x.dim() != 4 || x.shape[1] != 1)
                throw new TinierHarException($"{input}: expected windows of shape (N, 1, T, C), got ({string.Join(", ", x.shape)})");
            if (x.dtype is not (ScalarType.Float32 or ScalarType.Float64))
                throw new TinierHarException($"{input}: expected float32 or float64 windows, got {x.dtype}");
            var shape = new InputShape((int)x.shape[2], (int)x.shape[3], k);
            using var model = ModelCatalog.Create(spec, shape);
            Checkpoint.Load(model, state, strict: true, origin: checkpoint);
            model.eval();
            var parts = new List<Tensor>();
            using (torch.no_grad())
            {
                for (long i = 0; i < x.shape[0]; i += batch)
                {
                    using var scope = torch.NewDisposeScope();
                    var chunk = x.narrow(0, i, Math.Min(batch, x.shape[0] - i)).to_type(ScalarType.Float32);
                    parts.Add(model.call(chunk).MoveToOuterDisposeScope());
                }
            }
            using var logits = parts.Count == 0 ? torch.zeros(0, k) : torch.cat(parts, 0);
            foreach (var p in parts) p.Dispose();
            Npy.WriteTensor(output, logits);
            Console.WriteLine($"wrote {output}: logits ({logits.shape[0]}, {k}) from {spec.Model} ({spec.Variant}), T={shape.Window}, C={shape.Channels}");
            return 0;
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    static string ClassifierWeight(ModelSpec spec) => (spec.Model, spec.Variant) switch
    {
        (ModelCatalog.TinierHar, ModelVariant.NoGru) => "classifier.weight",
        (ModelCatalog.TinierHar, _) => "classifier.0.weight",
        (ModelCatalog.TinyHar, _) => "prediction.weight",
        _ => "fc.weight",
    };
}
