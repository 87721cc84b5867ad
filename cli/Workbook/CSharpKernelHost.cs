using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace TinierHar.Cli.Workbook;

/// <summary>
/// Creates the in-process C# kernel for one notebook: <c>#r "nuget:..."</c> (restored by a generated project, minutes
/// the first time), the kernel helpers (<c>display(x)</c> returning a value with <c>.Update(y)</c>) and
/// <c>Microsoft.DotNet.Interactive.Formatting</c> available to cells. dotnet-interactive/dotnet-repl are not used
/// because they bundle FSharp.Core 10.0 and the workbook's Plotly.NET/Deedle need 10.1.
/// </summary>
public static class CSharpKernelHost
{
    /// <summary>A new kernel with no submissions yet (no state shared with other notebooks).</summary>
    public static CSharpKernel Create()
    {
        var kernel = new CSharpKernel()
            .UseNugetDirective((k, references) =>
            {
                k.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho();
        return kernel;
    }
}
