using TinierHar.Tests.Cli;

namespace TinierHar.Tests.Workbook;

/// <summary><c>tinierhar workbook</c> through the CLI (serial: it captures the console; the kernel redirects it too).</summary>
[Collection(TorchRngCollection.Name)]
public sealed class WorkbookCommandTests
{
    static string[] Args(WorkbookFixtures tmp, string notebooks, params string[] more) =>
    [
        "workbook", "--notebooks", notebooks, "--data", tmp.Dir("data"), "--out", Path.Combine(tmp.Root, "out"),
        "--figures", Path.Combine(tmp.Root, "figures"), "--runs", Path.Combine(tmp.Root, "runs"), .. more,
    ];

    [Fact]
    public void Runs_the_folder_in_order_and_reports_one_failure()
    {
        using var tmp = new WorkbookFixtures();
        tmp.Copy("runtime-error", "nb", "02-fails");
        tmp.Copy("passing", "nb", "01-passes");
        File.WriteAllText(Path.Combine(tmp.Dir("nb"), "notes.ipynb"), "not a numbered notebook: ignored");
        var (code, output, err) = CliRunner.Run(Args(tmp, Path.Combine(tmp.Root, "nb"), "--quick"));
        Assert.Equal(1, code);
        Assert.Equal("", err);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // No datasets in the empty --data folder: one line saying so, where it looked and how to get them.
        Assert.Contains(lines, l => l.StartsWith("no datasets found in " + Path.Combine(tmp.Root, "data"), StringComparison.Ordinal)
                                    && l.Contains("datasets download") && l.Contains("download-datasets.ps1") && l.Contains("data/README.md"));
        var passed = Array.FindIndex(lines, l => l.StartsWith("01-passes ", StringComparison.Ordinal));
        var failed = Array.FindIndex(lines, l => l.StartsWith("02-fails ", StringComparison.Ordinal));
        Assert.True(passed >= 0 && failed > passed, output);
        Assert.Matches(@"^01-passes\s+passed\s+8 cells\s+\d+\.\d s$", lines[passed]);
        Assert.Matches(@"^02-fails\s+FAILED\s+cell 4 \(code cell 2\): InvalidOperationException: synthetic failure\s+\d+\.\d s", lines[failed]);
        Assert.Contains("(no parameters cell: nothing injected)", lines[failed]);
        Assert.Contains("1 passed, 1 failed", lines);
        Assert.Contains(lines, l => l.Contains(Path.Combine(tmp.Root, "out"), StringComparison.Ordinal));
        Assert.DoesNotContain('\r', output); // no live status line when the output is captured
        Assert.True(File.Exists(Path.Combine(tmp.Root, "out", "01-passes.ipynb")));
        Assert.True(File.Exists(Path.Combine(tmp.Root, "out", "02-fails.ipynb")));
        Assert.False(File.Exists(Path.Combine(tmp.Root, "out", "notes.ipynb")));
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Cells_tagged_needs_data_are_skipped_only_when_no_dataset_is_present()
    {
        using var tmp = new WorkbookFixtures();
        tmp.Copy("needs-data", "nb", "01-needs-data");
        var (code, output, _) = CliRunner.Run(Args(tmp, Path.Combine(tmp.Root, "nb")));
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^01-needs-data\s+passed\s+4 cells\s+\d+\.\d s\s+\(1 cell\(s\) skipped: no dataset present\)", output);
        var executed = File.ReadAllText(Path.Combine(tmp.Root, "out", "01-needs-data.ipynb"));
        Assert.Contains("skipped by tinierhar workbook: no dataset present (cell tagged needs-data)", executed);
        Assert.Contains("after the data cell", executed);

        // With a dataset present (the real shared datasets), the tagged cell runs (and this one throws).
        var withData = Args(tmp, Path.Combine(tmp.Root, "nb"));
        withData[Array.IndexOf(withData, "--data") + 1] = TestPaths.Datasets;
        (code, output, _) = CliRunner.Run(withData);
        Assert.Equal(1, code);
        Assert.Contains("InvalidOperationException: needs-data cell ran", output);
    }

    [Fact]
    public void Only_runs_the_notebooks_with_the_given_prefixes()
    {
        using var tmp = new WorkbookFixtures();
        tmp.Copy("runtime-error", "nb", "02-fails");
        tmp.Copy("compile-error", "nb", "01-fails");
        var (code, output, _) = CliRunner.Run(Args(tmp, Path.Combine(tmp.Root, "nb"), "--only", "01"));
        Assert.Equal(1, code);
        Assert.DoesNotContain("02-fails", output);
        Assert.Matches(@"(?m)^01-fails\s+FAILED\s+cell 3 \(code cell 2\): error CS0103: The name 'undefinedName' does not exist in the current context\s+\d+\.\d s", output);
        Assert.Contains("0 passed, 1 failed", output);
    }

    [Fact]
    public void Bad_input_is_one_line_and_exit_2()
    {
        using var tmp = new WorkbookFixtures();
        void Fails(string[] args, params string[] expected)
        {
            var (code, output, err) = CliRunner.Run(args);
            Assert.Equal(2, code);
            var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("tinierhar workbook: ", line);
            foreach (var e in expected) Assert.Contains(e, line);
        }
        Fails(Args(tmp, Path.Combine(tmp.Root, "missing")), "notebooks folder", "missing", "not found");
        Fails(Args(tmp, tmp.Dir("empty")), "no notebooks", "empty");
        tmp.Copy("malformed", "bad", "01-malformed");
        Fails(Args(tmp, Path.Combine(tmp.Root, "bad")), "01-malformed.ipynb", "line 3");
        Fails(Args(tmp, Path.Combine(tmp.Root, "bad"), "--bogus", "1"), "unknown option --bogus");
        Fails(Args(tmp, Path.Combine(tmp.Root, "bad"), "--only", "07"), "--only", "07");
    }
}
