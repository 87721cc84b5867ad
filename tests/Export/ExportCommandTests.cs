using System.Text.Json;
using System.Text.Json.Nodes;
using TinierHar.Data;
using TinierHar.Interop;
using TinierHar.Models;
using TinierHar.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// <c>tinierhar export</c>: the committed trained HAPT fold exported through the CLI, compiled with gcc and checked
/// against TorchSharp on 16 random windows (1e-4 absolute); and its error paths (one line, exit 2, nothing written).
/// Redirects the console and seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class ExportCommandTests
{
    static string HaptFold => Path.Combine(TestPaths.Repository, "results", "hapt", "tinierhar-full", "paper-seed1", "fold0");

    [Fact]
    public void Committed_HAPT_fold_exports_and_matches_TorchSharp()
    {
        var root = CHarness.TempDir("export-cli");
        try
        {
            var outDir = Path.Combine(root, "c");
            var (code, stdout, stderr) = CliRunner.Run("export", "--run", HaptFold, "--format", "c", "--out", outDir);
            Assert.True(code == 0, stderr);
            Assert.Contains("tinierhar.c", stdout);
            Assert.Equal(["tinierhar.c", "tinierhar.h"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
            Assert.Equal([outDir], Directory.GetFileSystemEntries(root)); // no temporary folder left

            var info = DatasetRegistry.Get("hapt");
            var shape = new InputShape(info.WindowT, info.C, info.K);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(HaptFold, "config.json")))!["model"].Deserialize<ModelSpec>()!;
            using var model = ModelCatalog.Create(spec, shape);
            Checkpoint.Load(model, Path.Combine(HaptFold, "best.pth"));
            torch.manual_seed(11);
            using var windows = torch.randn(16, 1, shape.Window, shape.Channels);
            var expected = CHarness.RunTorch(model, windows);
            var actual = CHarness.RunC(CHarness.Compile(outDir, "tinierhar"), windows, shape.Classes);
            var diff = CHarness.MaxAbsDiff(expected, actual);
            Assert.True(diff <= 1e-4, $"C logits differ from TorchSharp by {diff:E3}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Reference_checkpoint_exports_and_reproduces_the_golden_logits()
    {
        var root = CHarness.TempDir("export-ckpt");
        try
        {
            var outDir = Path.Combine(root, "c");
            var (code, _, stderr) = CliRunner.Run("export", "--checkpoint", TestPaths.Checkpoint("fold4_best.pth"), "--model", "tinierhar",
                "--dataset", "mhealth", "--format", "c", "--out", outDir);
            Assert.True(code == 0, stderr);
            using var x = Npy.ReadTensor(TestPaths.Checkpoint("fold4_test_batch_x.npy")).to(float32);
            using var golden = Npy.ReadTensor(TestPaths.Checkpoint("fold4_test_outputs.npy")).to(float32);
            var actual = CHarness.RunC(CHarness.Compile(outDir, "tinierhar"), x, (int)golden.shape[1]);
            var diff = CHarness.MaxAbsDiff(CHarness.ToMatrix(golden), actual);
            Assert.True(diff <= 1e-4, $"C logits differ from the golden logits by {diff:E3}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Run_without_best_pth_is_one_line_and_writes_nothing()
    {
        var root = CHarness.TempDir("export-err");
        try
        {
            var run = Path.Combine(root, "run");
            Directory.CreateDirectory(run);
            File.Copy(Path.Combine(HaptFold, "config.json"), Path.Combine(run, "config.json"));
            AssertFails(root, run, [], "best.pth not found");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Int8_of_another_model_is_refused_naming_it()
    {
        var root = CHarness.TempDir("export-err");
        try
        {
            var run = Path.Combine(root, "run");
            Directory.CreateDirectory(run);
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(HaptFold, "config.json")))!;
            var spec = new ModelSpec(ModelCatalog.TinyHar, ModelVariant.Full);
            config["model"] = JsonSerializer.SerializeToNode(spec);
            File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
            var info = DatasetRegistry.Get("hapt");
            using (var model = ModelCatalog.Create(spec, new InputShape(info.WindowT, info.C, info.K)))
                Checkpoint.Save(model, Path.Combine(run, "best.pth"));
            AssertFails(root, run, ["--int8"], "--int8 supports the C export of TinierHAR full only", "tinyhar full");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        var root = CHarness.TempDir("export-err");
        try
        {
            var outDir = Path.Combine(root, "c");
            var (code, _, err) = CliRunner.Run("export", "--run", HaptFold, "--format", "tflite", "--out", outDir);
            Assert.Equal(2, code);
            Assert.Equal("tinierhar export: option --format: expected 'c' or 'onnx', got 'tflite'", err.TrimEnd());
            (code, _, err) = CliRunner.Run("export", "--run", Path.Combine(root, "absent"), "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("--run", err);
            (code, _, err) = CliRunner.Run("export", "--run", HaptFold);
            Assert.Equal(2, code);
            Assert.Contains("missing required option --out", err);
            (code, _, err) = CliRunner.Run("export", "--run", HaptFold, "--out", "/proc/tinierhar-export-test");
            Assert.Equal(2, code);
            Assert.Equal("tinierhar export: /proc/tinierhar-export-test: cannot write the export there", err.TrimEnd().Split(" (")[0]);
            (code, _, err) = CliRunner.Run("export", "--run", HaptFold, "--checkpoint", TestPaths.Checkpoint("fold4_best.pth"), "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("either --run RUN_DIR or --checkpoint FILE", err);
            Assert.False(Directory.Exists(outDir));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Exit 2, one stderr line containing every fragment, and no output folder (nor temporary one) left.</summary>
    internal static void AssertFails(string root, string run, string[] options, params string[] fragments)
    {
        var outDir = Path.Combine(root, "c");
        var (code, stdout, stderr) = CliRunner.Run(["export", "--run", run, "--out", outDir, .. options]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("tinierhar export: ", lines[0]);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
        Assert.Equal([run], Directory.GetFileSystemEntries(root));
    }
}
