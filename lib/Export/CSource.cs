using System.Globalization;
using System.Text;

namespace TinierHar.Export;

/// <summary>
/// C99 text helpers for the exporters: float literals that read back as the same float32 (round-trip "R" format, always
/// with a decimal point or exponent and an <c>f</c> suffix) and <c>static const float</c> / <c>static const int8_t</c>
/// arrays, a few values per line.
/// </summary>
public static class CSource
{
    /// <summary>A C float literal of <paramref name="v"/>; non-finite values are an error (no C99 literal for them).</summary>
    public static string Float(float v)
    {
        if (!float.IsFinite(v)) throw new TinierHarException($"cannot export a non-finite weight ({v})");
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOfAny(['.', 'E', 'e']) < 0) s += ".0";
        return s + "f";
    }

    /// <summary>Appends <c>/* comment */ static const float name[n] = { ... };</c>; returns its size in bytes.</summary>
    public static long Array(StringBuilder sb, string name, IReadOnlyList<float> values, string comment)
    {
        sb.Append("/* ").Append(comment).Append(" */\n");
        sb.Append("static const float ").Append(name).Append('[').Append(values.Count).Append("] = {");
        for (int i = 0; i < values.Count; i++)
        {
            sb.Append(i % 8 == 0 ? "\n    " : " ");
            sb.Append(Float(values[i])).Append(',');
        }
        sb.Append("\n};\n\n");
        return (long)values.Count * sizeof(float);
    }

    /// <summary>Appends <c>/* comment */ static const int8_t name[n] = { ... };</c>; returns its size in bytes.</summary>
    public static long Int8Array(StringBuilder sb, string name, IReadOnlyList<sbyte> values, string comment)
    {
        sb.Append("/* ").Append(comment).Append(" */\n");
        sb.Append("static const int8_t ").Append(name).Append('[').Append(values.Count).Append("] = {");
        for (int i = 0; i < values.Count; i++)
        {
            sb.Append(i % 16 == 0 ? "\n    " : " ");
            sb.Append(values[i].ToString(CultureInfo.InvariantCulture)).Append(',');
        }
        sb.Append("\n};\n\n");
        return values.Count;
    }
}
