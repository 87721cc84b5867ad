using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Kernels;

/// <summary>
/// Whether the fast training kernels may be used in this process. <c>TINIERHAR_KERNELS=off</c> (environment) runs every
/// model on plain TorchSharp operations, the oracle the fast path is tested against. float64 always takes the plain path.
/// </summary>
public static class KernelSwitch
{
    /// <summary>The environment variable that turns the fast path off ("off" or "0").</summary>
    public const string Variable = "TINIERHAR_KERNELS";

    [ThreadStatic] private static int plainDepth;

    /// <summary>False when <c>TINIERHAR_KERNELS</c> is "off" or "0" (read once per process).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is not ("off" or "0");

    /// <summary>The engine recorded with every run: "fast" when <paramref name="model"/> has a module with a fast path
    /// (TinierHAR's conv blocks and its GRU) and will use it at <paramref name="dtype"/>.</summary>
    public static string EngineFor(nn.Module model, ScalarType dtype) =>
        Enabled && dtype == ScalarType.Float32 && model.modules().Prepend(model).Any(m => m is Models.TinierConvBlock or Models.TinierHarModel) ? "fast" : "plain";

    /// <summary>True when a module may run <paramref name="input"/> on its fast path: kernels enabled, float32 on the
    /// CPU, and no <see cref="Plain"/> scope open on this thread.</summary>
    public static bool UseFast(Tensor input) =>
        Enabled && plainDepth == 0 && input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <summary>Runs every module on the plain path on this thread until disposed (e.g. while per-module hooks count).</summary>
    public static IDisposable Plain()
    {
        plainDepth++;
        return new PlainScope();
    }

    private sealed class PlainScope : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            plainDepth--;
        }
    }
}
