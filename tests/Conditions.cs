using TinierHar.Native;

namespace TinierHar.Tests;

/// <summary>
/// A test of the oneDNN gate (lib/Native/OneDnn.cs). Skipped, with the reason, when <c>TINIERHAR_MKLDNN</c> is set:
/// then the user has decided about oneDNN and the gate deliberately does nothing. Evaluated at discovery (xunit 2 has no
/// run-time skip); CI does not set the variable and fails on any skipped test.
/// </summary>
public sealed class OneDnnSwitchFactAttribute : FactAttribute
{
    public OneDnnSwitchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TINIERHAR_MKLDNN") is { } v)
            Skip = $"TINIERHAR_MKLDNN={v} is set: the oneDNN gate is off by the user's choice";
    }
}

/// <summary>
/// A test of the glibc heap settings (lib/Native/NativeHeap.cs). Skipped, with the reason, where they do not apply: not
/// Linux with glibc (no <c>mallinfo2</c>), or <c>TINIERHAR_MALLOC=default</c> (the user keeps glibc's defaults).
/// </summary>
public sealed class GlibcHeapFactAttribute : FactAttribute
{
    public GlibcHeapFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "the heap settings are for Linux with glibc only";
        else if (NativeHeap.MappedBlocks() < 0) Skip = "no glibc mallinfo2 in this C library: the heap settings do not apply";
        else if (Environment.GetEnvironmentVariable("TINIERHAR_MALLOC") == "default") Skip = "TINIERHAR_MALLOC=default is set: glibc's defaults are kept by the user's choice";
    }
}

/// <summary>
/// A test that needs files the repository cannot carry (real datasets, the reference checkpoint; names in
/// <see cref="SharedFiles"/>), found by <see cref="TestPaths"/>' one lookup. Where one is absent the test is SKIPPED
/// with the reason (evaluated at discovery: xunit 2 has no run-time skip). CI has them and fails on any skip.
/// </summary>
public sealed class RequiresSharedFactAttribute : FactAttribute
{
    public RequiresSharedFactAttribute(params string[] needs)
    {
        if (TestPaths.MissingShared(needs) is { } reason) Skip = reason;
    }
}

/// <summary>The theory version of <see cref="RequiresSharedFactAttribute"/>.</summary>
public sealed class RequiresSharedTheoryAttribute : TheoryAttribute
{
    public RequiresSharedTheoryAttribute(params string[] needs)
    {
        if (TestPaths.MissingShared(needs) is { } reason) Skip = reason;
    }
}

/// <summary>A test that renders figures in headless Chromium; skipped with the reason where none is installed (CI installs Debian's).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (TinierHar.Figures.Chromium.Find(out var note) is null)
            Skip = "no headless Chromium: install Debian's chromium (.ci/run does) or set TINIERHAR_CHROMIUM" + (note is null ? "" : $" ({note})");
    }
}

/// <summary>
/// A test that builds for a Cortex-M4F and runs it under QEMU: skipped with the reason where Debian's Arm toolchain
/// (arm-none-eabi-gcc with newlib) or qemu-system-arm is not installed (CI installs them and fails on any skip); and,
/// like <see cref="RequiresSharedFactAttribute"/>, where a shared file it names is absent.
/// </summary>
public sealed class CortexM4FactAttribute : FactAttribute
{
    public CortexM4FactAttribute(params string[] needs) => Skip = CortexM4Tools.Missing() ?? TestPaths.MissingShared(needs);
}

/// <summary>The theory version of <see cref="CortexM4FactAttribute"/>.</summary>
public sealed class CortexM4TheoryAttribute : TheoryAttribute
{
    public CortexM4TheoryAttribute(params string[] needs) => Skip = CortexM4Tools.Missing() ?? TestPaths.MissingShared(needs);
}

static class CortexM4Tools
{
    /// <summary>Why the Cortex-M4 tools are missing, or null when they are all on PATH (newlib's rdimon.specs included).</summary>
    public static string? Missing()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var absent = new[] { "arm-none-eabi-gcc", "arm-none-eabi-size", "qemu-system-arm" }
            .Where(tool => !path.Any(dir => File.Exists(Path.Combine(dir, tool)))).ToList();
        if (!File.Exists("/usr/lib/arm-none-eabi/newlib/rdimon.specs") && absent.Count == 0) absent.Add("newlib (rdimon.specs)");
        return absent.Count == 0 ? null
            : $"no {string.Join(", ", absent)}: install Debian's gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm (.ci/run does)";
    }
}
