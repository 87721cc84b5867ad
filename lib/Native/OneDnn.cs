using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Native;

/// <summary>
/// Turns libtorch's oneDNN back on while a model that is outside the reach of the oneDNN convolution bug is trained
/// (<see cref="TorchSetup"/>). The bug needs input channels that are neither 1 nor a multiple of 16 (here 20 and 40
/// were always wrong, 1, 16, 32 and 64 always right, forward and backward; on some CPUs the bug does not occur;
/// <c>tests/Native/OneDnnTests.cs</c> checks the gate and the agreement where it switches oneDNN on), so a model
/// qualifies when every <c>Conv2d</c> has <c>groups = 1</c> and such input channels and it runs in float32:
/// DeepConvLSTM (1 and 64), whose convolutions and LSTM are then 2-3x faster. TinyHAR (20 filters) and TinierHAR
/// (depthwise convolutions, not verified) keep ATen's kernels.
/// <para>
/// The switch is process-wide, so <see cref="For"/> is a gate: scopes wanting the same mode share it, a scope wanting
/// the other mode waits until they are all disposed. Code that runs models outside a scope (a forward pass in another
/// thread) is not protected: do not mix it with training in one process. <c>TINIERHAR_MKLDNN=0</c> never enables
/// oneDNN; <c>TINIERHAR_MKLDNN=1</c> leaves it on for everything (the bug included).
/// </para>
/// </summary>
public static class OneDnn
{
    static readonly object Gate = new();
    static bool _mode;   // oneDNN on while _holders > 0
    static int _holders;

    /// <summary>True when oneDNN computes every convolution of <paramref name="model"/> correctly (see the class notes).</summary>
    public static bool IsSafeFor(nn.Module model, ScalarType dtype = ScalarType.Float32)
    {
        if (dtype != ScalarType.Float32) return false;
        bool any = false;
        foreach (var (_, m) in model.named_modules())
        {
            if (m is not Conv2d conv) continue;
            any = true;
            if (conv.groups != 1 || !(conv.in_channels == 1 || conv.in_channels % 16 == 0)) return false;
        }
        return any;
    }

    /// <summary>
    /// A scope in which oneDNN is on if the model <see cref="IsSafeFor"/> it, else off; dispose it when training ends.
    /// Does nothing when <c>TINIERHAR_MKLDNN</c> is set (the user decided) or TorchSetup could not switch oneDNN off.
    /// </summary>
    public static IDisposable For(nn.Module model, ScalarType dtype = ScalarType.Float32)
    {
        TorchSetup.EnsureInitialized();
        if (Environment.GetEnvironmentVariable("TINIERHAR_MKLDNN") is not null || !TorchSetup.MkldnnDisabled)
            return new Scope(owns: false);
        bool want = IsSafeFor(model, dtype);
        lock (Gate)
        {
            while (_holders > 0 && _mode != want) Monitor.Wait(Gate);
            if (_holders == 0 && want && !TorchSetup.SetMkldnn(true)) want = false;
            _mode = want;
            _holders++;
        }
        return new Scope(owns: true);
    }

    sealed class Scope(bool owns) : IDisposable
    {
        bool _disposed;

        public void Dispose()
        {
            if (_disposed || !owns) return;
            _disposed = true;
            lock (Gate)
            {
                if (--_holders == 0)
                {
                    if (_mode) TorchSetup.SetMkldnn(false);
                    _mode = false;
                    Monitor.PulseAll(Gate);
                }
            }
        }
    }
}
