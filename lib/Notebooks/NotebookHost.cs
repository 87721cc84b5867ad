using System.Reflection;
using System.Runtime.Loader;

namespace TinierHar.Notebooks;

/// <summary>
/// What a notebook kernel needs before the workbook's cells run (called by <c>notebooks/setup.csx</c>).
/// </summary>
public static class NotebookHost
{
    static int _fsharpCore;

    /// <summary>
    /// Lets Plotly.NET, Deedle and this library, built against FSharp.Core 10.1, run in a host that already loaded an
    /// older FSharp.Core: Microsoft.dotnet-interactive 1.0.712001 (the official Jupyter and VS Code kernel) ships
    /// FSharp.Core 10.0.0.0 in its default load context, where a second FSharp.Core cannot be loaded. A
    /// <see cref="AssemblyLoadContext.Resolving"/> handler answers a failed request for FSharp.Core with the one already
    /// loaded in that context. The parts of FSharp.Core the workbook uses exist in both. Idempotent; in a host
    /// whose FSharp.Core is 10.1 or newer (the workbook runner, the tinierhar kernel) the handler never fires.
    /// </summary>
    public static void UseLoadedFSharpCore()
    {
        if (Interlocked.Exchange(ref _fsharpCore, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += ResolveFSharpCore;
    }

    static Assembly? ResolveFSharpCore(AssemblyLoadContext context, AssemblyName requested)
    {
        if (!string.Equals(requested.Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase)) return null;
        var loaded = context.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase));
        if (loaded is not null) return loaded;
        try
        {
            // Not loaded yet: the host's own copy (its deps.json), any version. No version → no recursion into this handler.
            return context.LoadFromAssemblyName(new AssemblyName("FSharp.Core"));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>How to get a dataset, for cells that need one (one line).</summary>
    public const string HowToGetData =
        "get one with `dotnet run --project cli -- datasets download --datasets uschad` (or from PowerShell " +
        "`dotnet tool restore && dotnet pwsh download-datasets.ps1 -Datasets uschad`; see data/README.md), " +
        "or point the notebook at a folder holding datasets: set DataDir in the parameters cell or TINIERHAR_DATA";
}
