using System.Text.RegularExpressions;

namespace TinierHar.Cli.Workbook;

/// <summary>
/// Points a notebook's <c>#r "…TinierHar.Lib.dll"</c> at the TinierHar.Lib assembly loaded in the runner, so a notebook
/// run by <c>tinierhar workbook</c> uses exactly the library the runner was built with (Debug or Release); the
/// executed notebook keeps the original source.
/// </summary>
public static partial class LibraryReference
{
    /// <summary>Absolute path of the TinierHar.Lib assembly in this process.</summary>
    public static string LoadedPath => typeof(TinierHar.Models.ModelSpec).Assembly.Location;

    [GeneratedRegex(@"^(?<indent>[ \t]*)#r[ \t]+""(?<path>[^""\r\n]*TinierHar\.Lib\.dll)""[ \t]*(?=\r?$)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex LibReference();

    /// <summary>The source with every <c>#r "…TinierHar.Lib.dll"</c> line referencing <paramref name="assemblyPath"/> instead.</summary>
    public static string Rewrite(string source, string? assemblyPath = null)
    {
        var target = assemblyPath ?? LoadedPath;
        return LibReference().Replace(source, m => $"{m.Groups["indent"].Value}#r \"{target}\"");
    }
}
