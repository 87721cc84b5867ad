namespace TinierHar.Kernels;

/// <summary>
/// Whether the fast training kernels may be used in this process. <c>TINIERHAR_KERNELS=off</c> (environment) runs every
/// model on plain TorchSharp operations, the oracle the fast path is tested against. float64 always takes the plain path.
/// </summary>
public static class KernelSwitch
{
    /// <summary>The environment variable that turns the fast path off ("off" or "0").</summary>
    public const string Variable = "TINIERHAR_KERNELS";

    /// <summary>False when <c>TINIERHAR_KERNELS</c> is "off" or "0" (read once per process).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is not ("off" or "0");

    /// <summary>The engine recorded with every run: "plain" (no fast kernel is part of this build yet) or "fast".</summary>
    public static string Engine => "plain";
}
