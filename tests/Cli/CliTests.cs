using System.Text.Json;
using TinierHar.Cli;
using TinierHar.Interop;

namespace TinierHar.Tests.Cli;

/// <summary>The tinierhar command contract, run in-process (serially: it redirects the console).</summary>
[Collection(TorchRngCollection.Name)]
public class CliTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => TinierHar.Tests.Cli.CliRunner.Run(args);

    [Fact]
    public void Macs_all_datasets_as_json_equal_the_reference()
    {
        var (code, stdout, stderr) = Run("macs", "--model", "tinierhar", "--dataset", "all", "--json");
        Assert.True(code == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(14, rows.Count);
        var reference = File.ReadAllLines(TestPaths.EfficiencyCsv).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[1] == "TinierHAR").ToDictionary(f => f[0]);
        foreach (var r in rows)
        {
            var f = reference[r.GetProperty("dataset").GetString()!];
            Assert.Equal("tinierhar", r.GetProperty("model").GetString());
            Assert.Equal("full", r.GetProperty("variant").GetString());
            Assert.Equal(int.Parse(f[2]), r.GetProperty("window").GetInt32());
            Assert.Equal(int.Parse(f[3]), r.GetProperty("channels").GetInt32());
            Assert.Equal(int.Parse(f[4]), r.GetProperty("classes").GetInt32());
            Assert.Equal(long.Parse(f[5]), r.GetProperty("params").GetInt64());
            Assert.Equal(long.Parse(f[6]), r.GetProperty("macs").GetInt64());
        }
    }

    [Fact]
    public void Macs_table_with_per_layer_rows()
    {
        var (code, stdout, _) = Run("macs", "--model", "tinyhar", "--window", "200", "--channels", "6", "--classes", "12", "--per-layer");
        Assert.Equal(0, code);
        Assert.Contains("4,425,960", stdout); // TinyHAR on HAPT's shape, as in efficiency.csv
        Assert.Contains("channel_interaction (bmm)", stdout);
        Assert.Contains("temporal_interaction.lstm", stdout);
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Predict_reproduces_the_golden_logits()
    {
        var dir = Directory.CreateTempSubdirectory("tinierhar-cli-").FullName;
        try
        {
            var golden = Path.Combine(TestPaths.Reference, "tinierhar-mhealth");
            var outPath = Path.Combine(dir, "logits.npy");
            var (code, stdout, stderr) = Run("predict", "--model", "tinierhar", "--checkpoint", Path.Combine(golden, "fold4_best.pth"),
                "--input", Path.Combine(golden, "fold4_test_batch_x.npy"), "--output", outPath, "--batch-size", "50");
            Assert.True(code == 0, stderr);
            Assert.Contains("(165, 12)", stdout);
            var got = (float[])Npy.Read(outPath).Data;
            var expected = (float[])Npy.Read(Path.Combine(golden, "fold4_test_outputs.npy")).Data;
            Assert.Equal(expected.Length, got.Length);
            Assert.True(expected.Zip(got).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(new[] { "macs" }, "missing required option --model")]
    [InlineData(new[] { "macs", "--model", "tinierhar" }, "give --dataset NAME|all")]
    [InlineData(new[] { "macs", "--model", "tinierhar", "--dataset", "mnist" }, "unknown dataset 'mnist' (expected all or one of: dg, dsads")]
    [InlineData(new[] { "macs", "--model", "resnet", "--dataset", "uci" }, "unknown model 'resnet'")]
    [InlineData(new[] { "macs", "--model", "tinierhar", "--variant", "no-lstm", "--dataset", "uci" }, "unknown variant 'no-lstm' for tinierhar")]
    [InlineData(new[] { "macs", "--model", "tinierhar", "--dataset", "uci", "--filter", "4" }, "unknown option --filter")]
    [InlineData(new[] { "macs", "--model", "tinierhar", "--window", "ten", "--channels", "3", "--classes", "6" }, "option --window expects a whole number >= 1, got 'ten'")]
    [InlineData(new[] { "macs", "--model" }, "option --model needs a value")]
    [InlineData(new[] { "predict", "--model", "tinierhar", "--checkpoint", "/nonexistent/x.pth", "--input", "x.npy", "--output", "y.npy" }, "/nonexistent/x.pth: checkpoint file not found")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    public void Bad_arguments_exit_2_with_one_line(string[] args, string message)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Predict_on_wrongly_shaped_input_names_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("tinierhar-cli-").FullName;
        try
        {
            var golden = Path.Combine(TestPaths.Reference, "tinierhar-mhealth");
            var (code, _, stderr) = Run("predict", "--model", "tinierhar", "--checkpoint", Path.Combine(golden, "fold4_best.pth"),
                "--input", Path.Combine(golden, "fold4_test_batch_y.npy"), "--output", Path.Combine(dir, "o.npy"));
            Assert.Equal(2, code);
            Assert.Contains("fold4_test_batch_y.npy: expected windows of shape (N, 1, T, C), got (165)", stderr);
            var (code2, _, stderr2) = Run("predict", "--model", "tinyhar", "--checkpoint", Path.Combine(golden, "fold4_best.pth"),
                "--input", Path.Combine(golden, "fold4_test_batch_x.npy"), "--output", Path.Combine(dir, "o.npy"));
            Assert.Equal(2, code2);
            Assert.Contains("has no 'prediction.weight' matrix", stderr2);
            Assert.False(File.Exists(Path.Combine(dir, "o.npy")));
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class CliInternalErrorTests
{
    [Fact]
    public void An_internal_error_is_one_line_without_the_native_stack_and_says_how_to_resume()
    {
        var native = new System.Runtime.InteropServices.ExternalException(
            "Expected false to be true, but got false.\nException raised from toFloat at /pytorch/c10/core/Scalar.h:140\nframe #0: c10::Error::Error");
        var line = TinierHar.Cli.CliApp.InternalError("train", native);
        Assert.Equal("tinierhar train: internal error (ExternalException): Expected false to be true, but got false. " +
                     "(finished work is kept: rerun the same command to resume)", line);
        Assert.Equal("tinierhar macs: internal error (InvalidOperationException): boom",
            TinierHar.Cli.CliApp.InternalError("macs", new InvalidOperationException("boom\r\n  at somewhere")));
    }
}
