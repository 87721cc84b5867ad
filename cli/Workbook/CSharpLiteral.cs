using System.Globalization;

namespace TinierHar.Cli.Workbook;

/// <summary>Formats a parameter value as C# source (the injected-parameters cell's right-hand sides).</summary>
public static class CSharpLiteral
{
    /// <summary>
    /// C# literal for <paramref name="value"/>: <c>null</c>, <c>true</c>/<c>false</c>, integers, doubles (invariant,
    /// round-trip, with <c>double.NaN</c>/<c>PositiveInfinity</c>/<c>NegativeInfinity</c>), strings as verbatim literals
    /// (<c>@"..."</c>, quotes doubled) and <c>string[]</c> as <c>new string[] { ... }</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Any other type.</exception>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => FormatDouble(d),
        string s => "@\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        string[] a => a.Length == 0 ? "new string[0]" : "new string[] { " + string.Join(", ", a.Select(Format)) + " }",
        _ => throw new ArgumentException($"no C# literal for a value of type {value.GetType().Name}", nameof(value)),
    };

    static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "double.NaN";
        if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        // "1" would be an int, "1E+20" is a double already but a suffix is harmless and explicit.
        return s + "d";
    }

    /// <summary>One assignment statement per parameter, in the dictionary's order: <c>Name = literal;</c>.</summary>
    public static string Assignments(IEnumerable<KeyValuePair<string, object?>> parameters) =>
        string.Join("\n", parameters.Select(p => $"{p.Key} = {Format(p.Value)};"));
}
