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
            var actual = CHarness.RunC(CHarness.Compile(outDir), windows, shape.Classes);
            var diff = CHarness.MaxAbsDiff(expected, actual);
            Assert.True(diff <= 1e-4, $"C logits differ from TorchSharp by {diff:E3}");
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
            AssertFails(root, run, "best.pth not found");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("tinyhar", "full", "tinyhar full")]
    [InlineData("tinierhar", "no-gru", "tinierhar no-gru")]
    public void Other_model_or_variant_is_refused(string model, string variant, string named)
    {
        var root = CHarness.TempDir("export-err");
        try
        {
            var run = Path.Combine(root, "run");
            Directory.CreateDirectory(run);
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(HaptFold, "config.json")))!;
            config["model"] = JsonSerializer.SerializeToNode(new ModelSpec(model, variant));
            File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
            File.Copy(Path.Combine(HaptFold, "best.pth"), Path.Combine(run, "best.pth"));
            AssertFails(root, run, "supports TinierHAR full only", named);
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
            var (code, _, err) = CliRunner.Run("export", "--run", HaptFold, "--format", "onnx", "--out", outDir);
            Assert.Equal(2, code);
            Assert.Equal("tinierhar export: option --format: 'onnx' is not supported (only 'c' for now)", err.TrimEnd());
            (code, _, err) = CliRunner.Run("export", "--run", Path.Combine(root, "absent"), "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("--run", err);
            (code, _, err) = CliRunner.Run("export", "--run", HaptFold);
            Assert.Equal(2, code);
            Assert.Contains("missing required option --out", err);
            Assert.False(Directory.Exists(outDir));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Exit 2, one stderr line containing every fragment, and no output folder (nor temporary one) left.</summary>
    static void AssertFails(string root, string run, params string[] fragments)
    {
        var outDir = Path.Combine(root, "c");
        var (code, stdout, stderr) = CliRunner.Run("export", "--run", run, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("tinierhar export: ", lines[0]);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
        Assert.Equal([run], Directory.GetFileSystemEntries(root));
    }
}
