using System.Text.Json.Nodes;

namespace TinierHar.Tests.Notebooks;

/// <summary>
/// The size budget of an executed notebook: at most one copy of plotly.js (the setup cell's) and, beyond it, at most
/// 1 MB of outputs (a Deedle frame printed as an object dump was 9 MB).
/// </summary>
internal static class OutputBudget
{
    public const int MaxBytesBeyondPlotly = 1_000_000;
    const string PlotlyMarker = "plotly.js v"; // the library's licence header

    /// <summary>Problems of one executed notebook, one line each (empty when within budget).</summary>
    public static List<string> Problems(string ipynbPath)
    {
        var problems = new List<string>();
        var name = Path.GetFileName(ipynbPath);
        var notebook = JsonNode.Parse(File.ReadAllText(ipynbPath))!;
        long total = 0, plotly = 0;
        int copies = 0;
        foreach (var cell in notebook["cells"]!.AsArray())
        {
            if (cell!["outputs"] is not JsonArray outputs) continue;
            foreach (var output in outputs)
            {
                var size = System.Text.Encoding.UTF8.GetByteCount(output!.ToJsonString());
                total += size;
                var text = output.ToJsonString();
                int n = 0;
                for (int at = text.IndexOf(PlotlyMarker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(PlotlyMarker, at + 1, StringComparison.Ordinal)) n++;
                if (n > 0) { copies += n; plotly = Math.Max(plotly, size); }
            }
        }
        if (copies > 1) problems.Add($"{name}: {copies} copies of plotly.js in its outputs (one, in the setup cell, is the budget)");
        if (total - plotly > MaxBytesBeyondPlotly)
            problems.Add($"{name}: {total - plotly:N0} bytes of outputs beyond plotly.js (budget {MaxBytesBeyondPlotly:N0})");
        return problems;
    }
}
