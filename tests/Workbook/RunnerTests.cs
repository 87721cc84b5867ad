using System.Text.Json.Nodes;
using TinierHar.Cli.Workbook;

namespace TinierHar.Tests.Workbook;

/// <summary>
/// <see cref="NotebookRunner"/> on the synthetic notebooks. Serial: the kernel redirects the console and the runner sets
/// the current directory while a notebook runs.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class RunnerTests
{
    static readonly Dictionary<string, object?> NoParameters = new();

    static Task<NotebookResult> Run(string fixture, WorkbookFixtures tmp, IReadOnlyDictionary<string, object?>? parameters = null) =>
        NotebookRunner.RunAsync(tmp.Copy(fixture, "notebooks", fixture), parameters ?? NoParameters, Path.Combine(tmp.Root, "out", fixture + ".ipynb"));

    [Fact]
    public async Task Passing_notebook_gets_parameters_outputs_and_library()
    {
        using var tmp = new WorkbookFixtures();
        var cwd = Environment.CurrentDirectory;
        var parameters = new Dictionary<string, object?>
        {
            ["Quick"] = true,
            ["DataDir"] = Path.Combine(tmp.Root, "da\"ta"),
            ["RunsDir"] = Path.Combine(tmp.Root, "runs"),
            ["FiguresDir"] = Path.Combine(tmp.Root, "figures"),
            ["Seeds"] = new[] { "1", "2" },
        };
        var result = await Run("passing", tmp, parameters);
        Assert.True(result.Passed, result.Error);
        Assert.Equal(8, result.Cells);
        Assert.True(result.ParametersInjected);
        Assert.Null(result.FailedCell);
        Assert.Equal(cwd, Environment.CurrentDirectory);

        var cells = WorkbookFixtures.Cells(Path.Combine(tmp.Root, "out", "passing.ipynb"));
        Assert.Equal(9, cells.Count);
        // The library reference keeps its original source in the executed notebook.
        Assert.Contains("#r \"../bin/Debug/net10.0/TinierHar.Lib.dll\"", WorkbookFixtures.Text(cells[1]!["source"]));
        // Injected cell right after the parameters cell.
        var injected = cells[3]!;
        Assert.Contains("injected-parameters", injected["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("Quick = true;", WorkbookFixtures.Text(injected["source"]));
        // execution_count 1..n over the code cells.
        var counts = cells.Where(c => c!["cell_type"]!.GetValue<string>() == "code").Select(c => c!["execution_count"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, 7), counts);
        // Markdown copied as is.
        Assert.Contains("synthetic", WorkbookFixtures.Text(cells[0]!["source"]));

        // Printed values: one merged stdout stream, then stderr.
        var printed = cells[5]!["outputs"]!.AsArray();
        Assert.Equal(2, printed.Count);
        Assert.Equal("stdout", printed[0]!["name"]!.GetValue<string>());
        var stdout = WorkbookFixtures.Text(printed[0]!["text"]);
        Assert.Contains("Quick=True\n", stdout);
        Assert.Contains($"DataDir={parameters["DataDir"]}\n", stdout);
        Assert.Contains($"RunsDir={parameters["RunsDir"]}\n", stdout);
        Assert.Contains("Seeds=1|2\n", stdout);
        Assert.Equal("stderr", printed[1]!["name"]!.GetValue<string>());
        Assert.Contains("to stderr", WorkbookFixtures.Text(printed[1]!["text"]));

        // display + Update: one output holding the last value.
        var displayed = cells[6]!["outputs"]!.AsArray();
        var display = Assert.Single(displayed);
        Assert.Equal("display_data", display!["output_type"]!.GetValue<string>());
        var data = display["data"]!.AsObject();
        Assert.NotEmpty(data);
        Assert.All(data, kv => Assert.Contains("step 5", WorkbookFixtures.Text(kv.Value)));

        // A lib type through the rewritten #r: TinierHAR's default F = 4.
        var result7 = Assert.Single(cells[7]!["outputs"]!.AsArray());
        Assert.Equal("execute_result", result7!["output_type"]!.GetValue<string>());
        Assert.Equal(6, result7["execution_count"]!.GetValue<int>());
        Assert.Contains(result7["data"]!.AsObject(), kv => WorkbookFixtures.Text(kv.Value).Contains('4'));

        // Formatter.Register compiles; cells run in the notebook's folder.
        var last = WorkbookFixtures.Text(cells[8]!["outputs"]![0]!["text"]);
        Assert.Equal(Path.Combine(tmp.Root, "notebooks"), last.Trim());
    }

    [Fact]
    public async Task Compile_error_stops_the_notebook_with_an_error_output()
    {
        using var tmp = new WorkbookFixtures();
        var result = await Run("compile-error", tmp, new Dictionary<string, object?> { ["Quick"] = true });
        Assert.False(result.Passed);
        Assert.False(result.ParametersInjected); // no parameters cell
        Assert.Equal(3, result.FailedCell);
        Assert.Equal(2, result.FailedCodeCell);
        Assert.StartsWith("error CS0103", result.Error);
        Assert.Contains("undefinedName", result.Error);

        var cells = WorkbookFixtures.Cells(Path.Combine(tmp.Root, "out", "compile-error.ipynb"));
        Assert.Equal(4, cells.Count);
        var error = Assert.Single(cells[2]!["outputs"]!.AsArray(), o => o!["output_type"]!.GetValue<string>() == "error");
        Assert.Contains("CS0103", error!["evalue"]!.GetValue<string>() + WorkbookFixtures.Text(error["traceback"]));
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
        Assert.Null(cells[3]!["execution_count"]);
    }

    [Fact]
    public async Task Runtime_exception_stops_the_notebook_and_names_the_exception()
    {
        using var tmp = new WorkbookFixtures();
        var result = await Run("runtime-error", tmp);
        Assert.False(result.Passed);
        Assert.Equal(4, result.FailedCell);
        Assert.Equal(2, result.FailedCodeCell);
        Assert.Equal("InvalidOperationException: synthetic failure", result.Error);

        var cells = WorkbookFixtures.Cells(Path.Combine(tmp.Root, "out", "runtime-error.ipynb"));
        Assert.Contains("before", WorkbookFixtures.Text(cells[1]!["outputs"]![0]!["text"]));
        var error = Assert.Single(cells[3]!["outputs"]!.AsArray());
        Assert.Equal("error", error!["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("synthetic failure", error["evalue"]!.GetValue<string>());
        Assert.Empty(cells[4]!["outputs"]!.AsArray());
    }

    [Fact]
    public async Task Non_csharp_cell_fails_with_a_clear_message()
    {
        using var tmp = new WorkbookFixtures();
        var result = await Run("fsharp-cell", tmp);
        Assert.False(result.Passed);
        Assert.Equal(3, result.FailedCell);
        Assert.Equal("only C# cells are supported; this cell's kernel is 'fsharp'", result.Error);
    }

    [Fact]
    public async Task Malformed_json_names_the_file_and_line()
    {
        using var tmp = new WorkbookFixtures();
        var e = await Assert.ThrowsAsync<TinierHarException>(() => Run("malformed", tmp));
        Assert.Contains("malformed.ipynb", e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.False(File.Exists(Path.Combine(tmp.Root, "out", "malformed.ipynb")));
    }

    [Fact]
    public async Task Cancellation_writes_the_partial_notebook()
    {
        using var tmp = new WorkbookFixtures();
        using var cancel = new CancellationTokenSource();
        var path = tmp.Copy("slow", "notebooks", "slow");
        var output = Path.Combine(tmp.Root, "out", "slow.ipynb");
        var marker = Path.Combine(tmp.Root, "cell-ended");
        var result = await NotebookRunner.RunAsync(path, new Dictionary<string, object?> { ["Marker"] = marker }, output, cancel.Token,
            (cell, code) => { if (code == 3) cancel.CancelAfter(300); });
        Assert.True(result.Cancelled);
        Assert.False(result.Passed);
        Assert.Equal(4, result.FailedCell);
        Assert.Equal(3, result.FailedCodeCell);
        var cells = WorkbookFixtures.Cells(output);
        Assert.Contains("start", WorkbookFixtures.Text(cells[3]!["outputs"]![0]!["text"])); // after the injected cell
        Assert.Equal("error", cells[4]!["outputs"]![0]!["output_type"]!.GetValue<string>());
        Assert.Empty(cells[5]!["outputs"]!.AsArray());

        // The kernel does not stop a running cell: it ends on its own (in the command the process exits instead).
        // Wait for it, since until then the kernel keeps the console captured and the next test's output would go there.
        for (int i = 0; i < 300 && !File.Exists(marker); i++) await Task.Delay(100);
        Assert.True(File.Exists(marker));
        await Task.Delay(500);
    }
}
