using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using TinierHar.Cli.Workbook;

namespace TinierHar.Tests.Workbook;

/// <summary><see cref="CellOutputs"/> on hand-made kernel events (no kernel).</summary>
public sealed class CellOutputsTests
{
    static readonly SubmitCode Command = new("x");

    static FormattedValue[] Plain(string s) => [new(PlainTextFormatter.MimeType, s)];

    [Fact]
    public void Merges_consecutive_chunks_of_one_stream()
    {
        var outputs = new CellOutputs(1);
        outputs.AddRange([
            new StandardOutputValueProduced(Command, Plain("a")),
            new StandardOutputValueProduced(Command, Plain("b\nc\n")),
            new StandardErrorValueProduced(Command, Plain("e\n")),
            new StandardOutputValueProduced(Command, Plain("d")),
        ]);
        Assert.Equal(3, outputs.Outputs.Count);
        Assert.Equal("ab\nc\n", WorkbookFixtures.Text(outputs.Outputs[0]!["text"]));
        Assert.Equal(new[] { "ab\n", "c\n" }, outputs.Outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("stderr", outputs.Outputs[1]!["name"]!.GetValue<string>());
        Assert.Null(outputs.Error);
    }

    [Fact]
    public void Updates_replace_the_display_and_keep_every_mime_type()
    {
        var displays = new Dictionary<string, JsonObject>();
        var unbound = new List<JsonObject>();
        var first = new CellOutputs(1, displays, unbound);
        first.Add(new DisplayedValueProduced("p", Command, [new("text/html", "<b>p</b>"), new(PlainTextFormatter.MimeType, "p")], "id-p"));
        // A later cell updates the display (by its own id, as beta.26120.1 does) 200 times.
        var second = new CellOutputs(2, displays, unbound);
        for (int i = 1; i <= 200; i++)
            second.Add(new DisplayedValueUpdated($"{i}", "id-u", Command, [new("text/html", $"<b>{i}</b>"), new(PlainTextFormatter.MimeType, $"{i}")]));
        second.Add(new DisplayedValueProduced("q", Command, Plain("q"), "id-q"));
        second.Add(new DisplayedValueUpdated("q2", "id-q", Command, Plain("q2"))); // matching id: exact
        var shown = Assert.Single(first.Outputs)!;
        Assert.Equal("<b>200</b>", WorkbookFixtures.Text(shown["data"]!["text/html"]));
        Assert.Equal("200", WorkbookFixtures.Text(shown["data"]!["text/plain"]));
        var q = Assert.Single(second.Outputs)!;
        Assert.Equal("q2", WorkbookFixtures.Text(q["data"]!["text/plain"]));
    }

    [Fact]
    public void Return_value_and_failure()
    {
        var outputs = new CellOutputs(7);
        outputs.Add(new ReturnValueProduced(4, Command, Plain("4")));
        outputs.Add(new CommandFailed(null, Command, "(1,1): error CS0103: The name 'x' does not exist in the current context\n(2,1): error CS1002: ; expected"));
        var result = outputs.Outputs[0]!;
        Assert.Equal("execute_result", result["output_type"]!.GetValue<string>());
        Assert.Equal(7, result["execution_count"]!.GetValue<int>());
        var error = outputs.Outputs[1]!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Equal(2, error["traceback"]!.AsArray().Count);
        Assert.Equal("error CS0103: The name 'x' does not exist in the current context", outputs.Error);
    }
}
