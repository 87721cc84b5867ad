using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Efficiency;

/// <summary>One row of the per-layer breakdown: a module (or a counted functional call inside one).</summary>
/// <param name="Name">Dotted module path as in the state_dict ("conv_blocks.0.conv.0.depthwise"); functional calls
/// are listed as "&lt;module&gt; (bmm)" etc.</param>
/// <param name="Type">Module type (TorchSharp class name) or the functional's name.</param>
/// <param name="OutputShape">Output shape of the last call (batch 1).</param>
/// <param name="Params">Trainable parameters owned directly by this module (not its children).</param>
/// <param name="Macs">MACs of all calls of this module during one forward pass.</param>
/// <param name="Calls">How many times the module ran in that pass.</param>
public sealed record LayerCost(string Name, string Type, long[] OutputShape, long Params, long Macs, int Calls);

/// <summary>Totals and the per-layer breakdown for one model and input shape.</summary>
public sealed record EfficiencyReport(long Params, long Macs, IReadOnlyList<LayerCost> Layers);

/// <summary>
/// Counts trainable parameters and multiply-accumulates the way the reference does: ptflops
/// <c>get_model_complexity_info(model, (1, T, C))</c>, pytorch backend with functional patching (ptflops ≥ 0.7.2),
/// one sample, eval mode. It runs one forward pass on a batch of 1 with hooks on every module and applies:
/// <list type="bullet">
/// <item>Conv2d: prod(kernel)·Cin·(Cout/groups)·H_out·W_out, plus Cout·H_out·W_out for the bias.</item>
/// <item>BatchNorm2d: 2·numel(input) (affine).</item>
/// <item>ReLU: 2·numel(output) — once by the module hook, once more by the patched <c>F.relu</c> it calls.</item>
/// <item>MaxPool2d, AdaptiveAvgPool2d: 2·numel(input) — module hook plus patched functional.</item>
/// <item>Linear: (in·out + out) per row, rows = numel(input)/in (bias counted per row).</item>
/// <item>GRU: per step and direction 3H·I + 3H² + 7H (gates) + 6H (biases), × sequence length × directions.</item>
/// <item>LSTM: per step and direction 4H·I + 4H² + 10H (gates) + 8H (biases), × sequence length × directions.</item>
/// <item>Softmax module and <see cref="CountedOps.Softmax"/> (F.softmax): numel; <see cref="CountedOps.Bmm"/>,
/// <see cref="CountedOps.Matmul"/>: prod(A.shape)·B.shape[−1].</item>
/// <item>Not counted: Dropout, Identity, Tanh, Flatten, <c>torch.softmax</c>, <c>torch.sum</c>, element-wise tensor
/// arithmetic (residual sums, attention weighting, scalar γ), permute/reshape/cat/select.</item>
/// </list>
/// Params = numel of parameters with requires_grad (BatchNorm running statistics are buffers, not counted).
/// Container modules get rows with their own parameters only when they own some (e.g. TinyHAR's γ).
/// </summary>
public static class MacCounter
{
    /// <summary>Counts <paramref name="model"/> on an input of shape <c>(1, 1, T, C)</c> (or any shape given).</summary>
    public static EfficiencyReport Count(nn.Module<Tensor, Tensor> model, params long[] inputShape)
    {
        if (inputShape.Length == 0) throw new ArgumentException("input shape is empty", nameof(inputShape));
        var names = new Dictionary<nn.Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in model.named_modules()) names.TryAdd(module, name);
        names[model] = "";

        var tally = new Tally(names);
        var removers = new List<Action>();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            foreach (var module in names.Keys) removers.AddRange(tally.Attach(module));
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            using var plain = Kernels.KernelSwitch.Plain(); // fused modules would hide their children from the hooks
            var x = torch.zeros(new long[] { 1 }.Concat(inputShape).ToArray());
            CountedOps.Active = tally;
            model.call(x);
        }
        finally
        {
            CountedOps.Active = null;
            foreach (var remove in removers) remove();
            model.train(wasTraining);
        }

        long totalParams = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        var rows = new List<LayerCost>();
        foreach (var (module, name) in names)
        {
            long own = module.named_parameters(recurse: false).Where(p => p.parameter.requires_grad).Sum(p => p.parameter.numel());
            tally.Rows.TryGetValue(name, out var row);
            if (row is null && own == 0) continue;
            rows.Add(new LayerCost(name, module.GetType().Name, row?.Shape ?? [], own, row?.Macs ?? 0, row?.Calls ?? 0));
            foreach (var (fname, f) in tally.Functional.Where(kv => kv.Value.Owner == name).OrderBy(kv => kv.Key))
                rows.Add(new LayerCost(fname, f.Op, f.Shape, 0, f.Macs, f.Calls));
        }
        long totalMacs = rows.Sum(r => r.Macs);
        return new EfficiencyReport(totalParams, totalMacs, rows);
    }

    /// <summary>Collects MACs during one counted forward pass.</summary>
    internal sealed class Tally(Dictionary<nn.Module, string> names)
    {
        internal sealed class Row { public long Macs; public int Calls; public long[] Shape = []; public string Op = ""; public string Owner = ""; }

        public readonly Dictionary<string, Row> Rows = new();
        public readonly Dictionary<string, Row> Functional = new();
        readonly Stack<string> _running = new();

        public void AddFunctional(string op, long macs)
        {
            var owner = _running.Count > 0 ? _running.Peek() : "";
            var key = $"{(owner.Length == 0 ? "model" : owner)} ({op})";
            if (!Functional.TryGetValue(key, out var row)) Functional[key] = row = new Row { Op = op, Owner = owner };
            row.Macs += macs;
            row.Calls++;
        }

        void Add(nn.Module module, long macs, Tensor output)
        {
            var name = names[module];
            if (!Rows.TryGetValue(name, out var row)) Rows[name] = row = new Row();
            row.Macs += macs;
            row.Calls++;
            row.Shape = output.shape;
        }

        public IEnumerable<Action> Attach(nn.Module module)
        {
            switch (module)
            {
                case GRU gru:
                {
                    var pre = gru.register_forward_pre_hook((m, x, h) => { _running.Push(names[m]); return (x, h); });
                    var post = gru.register_forward_hook((m, x, h, y) => { _running.Pop(); Add(m, RecurrentMacs(m, x, 3, 7, 6), y.Item1); return y; });
                    return [() => pre.remove(), () => post.remove()];
                }
                case LSTM lstm:
                {
                    var pre = lstm.register_forward_pre_hook((m, x, h) => { _running.Push(names[m]); return (x, h); });
                    var post = lstm.register_forward_hook((m, x, h, y) => { _running.Pop(); Add(m, RecurrentMacs(m, x, 4, 10, 8), y.Item1); return y; });
                    return [() => pre.remove(), () => post.remove()];
                }
                case nn.Module<Tensor, Tensor> one:
                {
                    var pre = one.register_forward_pre_hook((m, x) => { _running.Push(names[m]); return x; });
                    var post = one.register_forward_hook((m, x, y) =>
                    {
                        _running.Pop();
                        if (ModuleMacs(m, x, y) is long macs) Add(m, macs, y);
                        return y;
                    });
                    return [() => pre.remove(), () => post.remove()];
                }
                default:
                    return [];
            }
        }

        /// <summary>MACs of a leaf module by ptflops' rules, or null for modules it has no rule for (containers).</summary>
        static long? ModuleMacs(nn.Module m, Tensor input, Tensor output) => m switch
        {
            Conv2d conv => ConvMacs(conv, output),
            BatchNorm2d => 2 * input.numel(),
            ReLU => 2 * output.numel(),
            MaxPool2d or AdaptiveAvgPool2d => 2 * input.numel(),
            Linear lin => LinearMacs(lin, input),
            Softmax => input.numel(),
            Dropout or Identity or Tanh or Flatten => 0,
            _ => null,
        };

        static long ConvMacs(Conv2d conv, Tensor output)
        {
            var w = conv.weight!;                               // (Cout, Cin/groups, kH, kW)
            long cout = w.shape[0], cinPerGroup = w.shape[1], kernel = w.shape[2] * w.shape[3];
            long positions = output.shape[0] * output.shape[2] * output.shape[3];
            long macs = kernel * cinPerGroup * cout * positions;
            if (conv.bias is not null) macs += cout * positions;
            return macs;
        }

        static long LinearMacs(Linear lin, Tensor input)
        {
            long inFeatures = lin.weight!.shape[1], outFeatures = lin.weight.shape[0];
            long rows = input.numel() / inFeatures;
            return rows * (inFeatures * outFeatures + (lin.bias is null ? 0 : outFeatures));
        }

        /// <summary>ptflops' RNN rule: per step and direction gates·H·I + gates·H² + elementwise·H + biases·H.</summary>
        static long RecurrentMacs(nn.Module m, Tensor input, int gates, int elementwise, int biases)
        {
            var ps = m.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            bool batchFirst = m is GRU g ? GetBatchFirst(g) : GetBatchFirst((LSTM)m);
            long steps = batchFirst ? input.shape[1] : input.shape[0];
            long batch = input.dim() == 2 ? 1 : (batchFirst ? input.shape[0] : input.shape[1]);
            long total = 0;
            foreach (var (name, w) in ps.Where(p => p.Key.StartsWith("weight_ih_l", StringComparison.Ordinal)))
            {
                var suffix = name["weight_ih_".Length..];
                long h = ps["weight_hh_" + suffix].shape[1], i = w.shape[1];
                long perStep = gates * h * i + gates * h * h + elementwise * h;
                if (ps.ContainsKey("bias_ih_" + suffix)) perStep += biases * h;
                total += perStep * steps * batch;
            }
            return total;
        }

        static bool GetBatchFirst(nn.Module m) =>
            (bool)(m.GetType().GetField("_batch_first", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(m)
                   ?? throw new InvalidOperationException($"cannot read batch_first of {m.GetType().Name}"));
    }
}
