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
