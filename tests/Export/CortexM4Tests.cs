using System.Diagnostics;
using System.Globalization;
using TinierHar.Export;
using TinierHar.Tests.Data;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// The committed HAPT fold's C exports built for a Cortex-M4F (<see cref="CortexM4Build"/>) and run on 4 windows under
/// QEMU's mps2-an386 (<see cref="CortexM4Qemu"/>): float logits within 1e-4 of TorchSharp (4 seeded random windows), int8
/// logits close to the host gcc build of the same int8 file (4 real test windows); flash and RAM of the program and of
/// the model alone are printed. The Arm toolchain and QEMU are required (no skip): without them the tests fail saying
/// what to install. Seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class CortexM4Tests(ITestOutputHelper output)
{
    const int Windows = 4;
    static readonly TimeSpan QemuTimeout = TimeSpan.FromSeconds(120);

    [CortexM4Fact]
    public void Float_export_on_QEMU_matches_TorchSharp()
    {
        using var source = ExportSource.FromRun(Int8ExportTests.HaptFold);
        var export = TinierHarCExporter.Export(source.Model, source.Spec, source.Shape, source.Origin);
        torch.manual_seed(13);
        using var windows = torch.randn(Windows, 1, source.Shape.Window, source.Shape.Channels);
        var dir = CHarness.TempDir("m4-float");
        try
        {
            var m4 = RunOnQemu(export, windows, source.Shape.Classes, dir, "float");
            var diff = CHarness.MaxAbsDiff(CHarness.RunTorch(source.Model, windows), m4);
            output.WriteLine($"float: max |QEMU - TorchSharp| = {diff:E3}");
            Assert.True(diff <= 1e-4, $"Cortex-M4 float logits differ from TorchSharp by {diff:E3}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [CortexM4Fact(SharedFiles.Hapt)]
    public void Int8_export_on_QEMU_matches_the_host_build()
    {
        using var source = ExportSource.FromRun(Int8ExportTests.HaptFold);
        var export = RunExport.ToC(source, new ExportRequest(ExportFormat.C, Int8: true, TestPaths.SharedDataFolder, RealData.Cache));
        using var fold = source.PrepareFold(TestPaths.SharedDataFolder, RealData.Cache);
        var picks = Enumerable.Range(0, Windows).Select(i => (long)(i * fold.Test.Count / Windows)).ToArray();
        using var index = torch.tensor(picks);
        using var windows = fold.Test.XTensor.index_select(0, index);
        var dir = CHarness.TempDir("m4-int8");
        try
        {
            var m4 = RunOnQemu(export, windows, source.Shape.Classes, dir, "int8");
            var hostDir = Path.Combine(dir, "host");
            RunExport.WriteAtomically(hostDir, export.Files);
            var host = CHarness.RunC(CHarness.Compile(hostDir, export.Prefix), windows, source.Shape.Classes);
            var diff = CHarness.MaxAbsDiff(host, m4);
            output.WriteLine($"int8: max |QEMU - host gcc| = {diff:E3}");
            Assert.True(diff <= 1e-4, $"Cortex-M4 int8 logits differ from the host build's by {diff:E3}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_tool_is_one_clear_line()
    {
        var e = Assert.Throws<TinierHarException>(() =>
            ExternalTool.Run("arm-none-eabi-gcc-absent", Path.GetTempPath(), TimeSpan.FromSeconds(10), ExternalTool.ArmInstall, "--version"));
        Assert.Equal($"arm-none-eabi-gcc-absent not found on PATH; install it ({ExternalTool.ArmInstall})", e.Message);
    }

    /// <summary>Builds <paramref name="export"/> with <paramref name="windows"/> embedded, runs it under QEMU (timed), prints the footprints.</summary>
    float[,] RunOnQemu(CExport export, Tensor windows, int classes, string dir, string label)
    {
        int n = (int)windows.shape[0];
        using var flat = windows.reshape(n, -1).contiguous();
        var rows = Enumerable.Range(0, n).Select(i => flat[i].data<float>().ToArray()).ToList();
        var elf = CortexM4Build.Build(export, rows, Path.Combine(dir, "m4"));
        var clock = Stopwatch.StartNew();
        var logits = CortexM4Qemu.Run(elf, classes, QemuTimeout);
        clock.Stop();
        var program = CortexM4Build.Size(elf);
        var model = CortexM4Build.Measure(export, Path.Combine(dir, "measure"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: QEMU ran {n} windows in {clock.Elapsed.TotalSeconds:F1} s; program flash {program.Flash} B, RAM {program.Ram} B; "
            + $"model alone flash {model.Flash} B, RAM {model.Ram} B (export: weights {export.WeightBytes} B, activations {export.ActivationBytes} B)"));
        Assert.Equal(n, logits.Length);
        Assert.True(model.Flash >= export.WeightBytes && model.Ram >= export.ActivationBytes, "the model's share is smaller than what its file declares");
        var result = new float[n, classes];
        for (int i = 0; i < n; i++) for (int k = 0; k < classes; k++) result[i, k] = logits[i][k];
        return result;
    }
}
