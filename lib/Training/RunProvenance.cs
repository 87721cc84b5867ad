using System.Reflection;
using System.Text.Json.Serialization;

namespace TinierHar.Training;

/// <summary>
/// Where and how a run was trained, saved as <c>"run"</c> in its <c>config.json</c> (as nanoGPT saves its config with
/// every checkpoint): the code version (the library's informational version, <c>1.0.0+&lt;commit&gt;</c>), the engine
/// (fast kernels or plain TorchSharp, see <see cref="Kernels.KernelSwitch"/>), the machine, the torch threads and the
/// trainer time spent (resumed sessions summed). Not part of the run's identity: a resumed run may add another machine.
/// </summary>
public sealed record RunProvenance(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("seconds")] double? Seconds = null,
    [property: JsonPropertyName("finished_utc")] DateTime? FinishedUtc = null)
{
    /// <summary>This process: code version, the given engine, host, CPU model, cores, torch's intra-op threads, OS.</summary>
    public static RunProvenance Current(string engine) => new(CodeVersion, engine, Environment.MachineName, CpuModel(),
        Environment.ProcessorCount, TorchSharp.torch.get_num_threads(), System.Runtime.InteropServices.RuntimeInformation.OSDescription);

    /// <summary>The library's informational version: <c>1.0.0+&lt;git commit&gt;</c> when built from a clone.</summary>
    public static string CodeVersion { get; } =
        typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
