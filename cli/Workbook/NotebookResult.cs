namespace TinierHar.Cli.Workbook;

/// <summary>How one notebook run ended.</summary>
/// <param name="Name">The notebook's file name without extension.</param>
/// <param name="Passed">Every code cell ran without error (false when cancelled).</param>
/// <param name="Cells">Cells in the source notebook (markdown and code).</param>
/// <param name="FailedCell">1-based index among all cells of the source notebook of the failed cell; null when none
/// failed (and 0 for the injected-parameters cell, which is not in the source).</param>
/// <param name="FailedCodeCell">1-based index of the failed cell among the source's code cells, or null.</param>
/// <param name="Error">First line of the failure (e.g. <c>error CS0103: ...</c>), or null.</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="Cancelled">The run was cancelled (Ctrl+C); the executed notebook is partial.</param>
/// <param name="ParametersInjected">Whether the notebook had a parameters cell that received the overrides.</param>
/// <param name="SkippedCells">Code cells not run because of their tag (e.g. needs-data without a dataset).</param>
public sealed record NotebookResult(
    string Name,
    bool Passed,
    int Cells,
    int? FailedCell,
    int? FailedCodeCell,
    string? Error,
    TimeSpan Elapsed,
    bool Cancelled = false,
    bool ParametersInjected = false,
    int SkippedCells = 0);
