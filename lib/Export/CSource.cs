using TinierHar.Models;
using System.Globalization;
using System.Text;

namespace TinierHar.Export;

/// <summary>
/// C99 text helpers for the exporters: float literals that read back as the same float32 (round-trip "R" format, always
/// with a decimal point or exponent and an <c>f</c> suffix), <c>static const float</c> and <c>static const int8_t</c>
/// arrays (a few values per line) and scalars, and the <c>static float</c> arrays of activations. Each declaration returns the bytes it occupies, so an
/// exporter's <see cref="CExport.WeightBytes"/> and <see cref="CExport.ActivationBytes"/> are the sums of what it declared.
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

    /// <summary>Appends <c>/* comment */ static const float name = v;</c>; returns its size in bytes.</summary>
    public static long Scalar(StringBuilder sb, string name, float value, string comment)
    {
        sb.Append("/* ").Append(comment).Append(" */\n");
        sb.Append("static const float ").Append(name).Append(" = ").Append(Float(value)).Append(";\n\n");
        return sizeof(float);
    }

    /// <summary>Appends <c>static float name[floats]; /* comment */</c> (an activation array); returns its size in bytes.</summary>
    public static long Buffer(StringBuilder sb, string name, int floats, string comment)
    {
        if (floats < 1) throw new TinierHarException($"activation array {name} would be empty");
        sb.Append("static float ").Append(name).Append('[').Append(floats).Append("];   /* ").Append(comment).Append(" */\n");
        return (long)floats * sizeof(float);
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

    /// <summary>Text that goes into a C comment: no <c>*/</c> to close it early, on one line.</summary>
    public static string CommentText(string text) => text.Replace("*/", "* /").ReplaceLineEndings(" ");

    /// <summary>
    /// The header <c>{prefix}.h</c> of every C export, the interface the drivers rely on: macros <c>{PREFIX}_WINDOW</c>,
    /// <c>_CHANNELS</c>, <c>_CLASSES</c> and <c>void {prefix}_predict(const float *window, float *logits)</c>;
    /// <paramref name="description"/> is the first comment line's text after the file name.
    /// </summary>
    public static string Header(string prefix, InputShape shape, string description)
    {
        var m = prefix.ToUpperInvariant();
        return $$"""
            /* {{prefix}}.h: {{description}}. */
            #ifndef {{m}}_H
            #define {{m}}_H

            #define {{m}}_WINDOW {{shape.Window}}   /* T: time steps of a window */
            #define {{m}}_CHANNELS {{shape.Channels}}   /* C: sensor channels */
            #define {{m}}_CLASSES {{shape.Classes}}   /* K: logits */

            /* window: T*C floats, the model input (1,1,T,C) row-major (window[t*C + c]); logits: K floats (no softmax). */
            void {{prefix}}_predict(const float *window, float *logits);

            #endif

            """;
    }
}
