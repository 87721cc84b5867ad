using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Deedle;
using Microsoft.AspNetCore.Html;

namespace TinierHar.Analysis;

/// <summary>
/// Compact HTML tables for the notebooks: any Deedle frame or any sequence of records/objects (columns = public
/// properties), at most <c>maxRows</c> rows and <c>maxColumns</c> columns, with a "… N more rows" line. Doubles are
/// shown with 4 decimals (invariant culture), integers with thousands separators, text HTML-encoded.
/// </summary>
public static class Tables
{
    const string Style = "<style>table.th-table{border-collapse:collapse;font:12px/1.3 monospace;margin:4px 0}" +
        "table.th-table th,table.th-table td{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}" +
        "table.th-table th{background:#f2f2f2}table.th-table td.th-text{text-align:left}" +
        "table.th-table td.th-long{white-space:normal;min-width:24em;max-width:60em}" +
        "div.th-more{font:11px monospace;color:#666}</style>";

    /// <summary>Text cells longer than this many characters wrap (HTML) instead of widening the table.</summary>
    const int LongText = 60;

    /// <summary>HTML for a Deedle <c>Frame&lt;R,C&gt;</c>, a 2-D array (e.g. a confusion matrix), an <see cref="IEnumerable"/> of objects, or a single object.</summary>
    public static IHtmlContent Html(object table, int maxRows = 20, int maxColumns = 12) => Render(Layout(table, maxRows, maxColumns));

    /// <summary>A bulleted list (HTML-encoded lines), e.g. computed takeaways.</summary>
    public static IHtmlContent Bullets(IEnumerable<string> lines) =>
        new HtmlString("<ul>" + string.Concat(lines.Select(l => "<li>" + WebUtility.HtmlEncode(l) + "</li>")) + "</ul>");

    /// <summary>The same table as <see cref="Html"/> as aligned plain text (for text/plain outputs and terminals).</summary>
    public static string Text(object table, int maxRows = 20, int maxColumns = 12) => RenderText(Layout(table, maxRows, maxColumns));

    /// <summary>
    /// True for what the notebooks show as a table: a Deedle frame, a record of this library (a class of
    /// TinierHar.Lib), or a sequence of such records. Used by the notebooks' formatters.
    /// </summary>
    public static bool IsTable(object? value)
    {
        if (value is null or string) return false;
        var type = value.GetType();
        for (var t = type; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Frame<,>)) return true;
        if (IsOwnRecord(type)) return true;
        var element = type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is not null && IsOwnRecord(element);
    }

    /// <summary>The library's record types (C# record classes of TinierHar.Lib with public properties
    /// that are neither sequences nor HTML), for which the notebooks register table formatters.</summary>
    public static IReadOnlyList<Type> RecordTypes() =>
        typeof(Tables).Assembly.GetExportedTypes()
            .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && IsOwnRecord(t) && t.GetMethod("<Clone>$") is not null).ToArray();

    static bool IsOwnRecord(Type t) =>
        t.IsClass && t.Assembly == typeof(Tables).Assembly
        && !typeof(IEnumerable).IsAssignableFrom(t) && !typeof(IHtmlContent).IsAssignableFrom(t)
        && t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Length > 0;

    sealed record TableLayout(IReadOnlyList<string> Header, List<List<object?>> Cells, long TotalRows, long HiddenRows, int HiddenColumns);

    static TableLayout Layout(object table, int maxRows, int maxColumns)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (maxRows < 0) throw new ArgumentOutOfRangeException(nameof(maxRows));
        if (maxColumns < 1) throw new ArgumentOutOfRangeException(nameof(maxColumns));
        var type = table.GetType();
        for (var t = type; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Frame<,>))
            {
                var method = typeof(Tables).GetMethod(nameof(FrameLayout), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(t.GetGenericArguments());
                return (TableLayout)method.Invoke(null, [table, maxRows, maxColumns])!;
            }
        if (table is string s) return new(["value"], [[s]], 1, 0, 0);
        if (table is Array { Rank: 2 } matrix) return MatrixLayout(matrix, maxRows, maxColumns);
        var items = table is IEnumerable e ? e.Cast<object?>() : [table];
        return ObjectsLayout(items, maxRows, maxColumns);
    }

    /// <summary>A Deedle frame of records (<c>Frame.FromRecords</c>): one row per record, one column per public property.</summary>
    public static Frame<int, string> Frame<T>(IEnumerable<T> rows) => Deedle.Frame.FromRecords(rows);

    static TableLayout FrameLayout<R, C>(Frame<R, C> frame, int maxRows, int maxColumns)
        where R : notnull where C : notnull
    {
        var colKeys = frame.ColumnKeys.Take(maxColumns).ToList();
        var header = new List<string> { "" };
        header.AddRange(colKeys.Select(k => Format(k)));
        int shownRows = Math.Min(frame.RowCount, maxRows);
        var rowKeys = frame.RowKeys.Take(shownRows).ToList();
        var cells = rowKeys.Select(k => new List<object?> { k }).ToList();
        for (int j = 0; j < colKeys.Count; j++)
        {
            var column = frame.GetColumnAt<object>(j);
            for (int i = 0; i < shownRows; i++)
            {
                var v = column.TryGetAt(i);
                cells[i].Add(v.HasValue ? v.Value : null);
            }
        }
        return new(header, cells, frame.RowCount, frame.RowCount - shownRows, frame.ColumnCount - colKeys.Count);
    }

    static TableLayout MatrixLayout(Array m, int maxRows, int maxColumns)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        int shownCols = Math.Min(cols, maxColumns), shownRows = Math.Min(rows, maxRows);
        var header = new List<string> { "" };
        header.AddRange(Enumerable.Range(0, shownCols).Select(j => j.ToString(CultureInfo.InvariantCulture)));
        var cells = new List<List<object?>>();
        for (int i = 0; i < shownRows; i++)
        {
            var row = new List<object?> { i };
            for (int j = 0; j < shownCols; j++) row.Add(m.GetValue(i, j));
            cells.Add(row);
        }
        return new(header, cells, rows, rows - shownRows, cols - shownCols);
    }

    static TableLayout ObjectsLayout(IEnumerable<object?> items, int maxRows, int maxColumns)
    {
        var shown = new List<object?>();
        long total = 0;
        foreach (var item in items)
        {
            if (shown.Count < maxRows) shown.Add(item);
            total++;
        }
        var first = shown.FirstOrDefault(o => o is not null);
        bool scalar = first is null || IsScalar(first.GetType());
        List<string> header;
        List<List<object?>> cells;
        int hiddenColumns = 0;
        if (scalar)
        {
            header = ["value"];
            cells = shown.Select(o => new List<object?> { o }).ToList();
        }
        else
        {
            var props = first!.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead).ToList();
            hiddenColumns = Math.Max(0, props.Count - maxColumns);
            props = props.Take(maxColumns).ToList();
            header = props.Select(p => p.Name).ToList();
            cells = shown.Select(o => props.Select(p => o is null || !p.DeclaringType!.IsInstanceOfType(o) ? null : SafeGet(p, o)).ToList()).ToList();
        }
        return new(header, cells, total, total - shown.Count, hiddenColumns);
    }

    static object? SafeGet(PropertyInfo p, object o)
    {
        try { return p.GetValue(o); }
        catch (TargetInvocationException e) { return $"({e.InnerException?.GetType().Name ?? "error"})"; }
    }

    static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset);

    static IHtmlContent Render(TableLayout layout)
    {
        var (header, cells, totalRows, hiddenRows, hiddenColumns) = layout;
        var sb = new StringBuilder(Style).Append("<table class=\"th-table\"><thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        if (hiddenColumns > 0) sb.Append("<th>…</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in cells)
        {
            sb.Append("<tr>");
            foreach (var v in row)
            {
                bool text = v is null or string or char || (v is not null && !IsNumber(v));
                var formatted = Format(v);
                // Long text (a note, an explanation) wraps instead of widening the table past the page.
                var cssClass = !text ? null : formatted.Length > LongText ? "th-text th-long" : "th-text";
                sb.Append(cssClass is null ? "<td>" : $"<td class=\"{cssClass}\">").Append(WebUtility.HtmlEncode(formatted)).Append("</td>");
            }
            if (hiddenColumns > 0) sb.Append("<td></td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        var notes = Notes(layout);
        if (notes.Length > 0) sb.Append("<div class=\"th-more\">").Append(WebUtility.HtmlEncode(notes)).Append("</div>");
        return new HtmlString(sb.ToString());
    }

    static string Notes(TableLayout layout)
    {
        var notes = new List<string>();
        if (layout.HiddenRows > 0) notes.Add($"… {layout.HiddenRows.ToString("N0", CultureInfo.InvariantCulture)} more rows ({layout.TotalRows.ToString("N0", CultureInfo.InvariantCulture)} in all)");
        if (layout.HiddenColumns > 0) notes.Add($"{layout.HiddenColumns} more columns");
        if (layout.TotalRows == 0) notes.Add("(no rows)");
        return string.Join("; ", notes);
    }

    /// <summary>Columns padded to their widest cell (numbers right-aligned, text left-aligned), a rule under the header.</summary>
    static string RenderText(TableLayout layout)
    {
        var header = layout.Header.ToList();
        if (layout.HiddenColumns > 0) header.Add("…");
        var rows = layout.Cells.Select(r => r.Select(v => (Text: Format(v).ReplaceLineEndings(" "), Right: v is not null && IsNumber(v))).ToList()).ToList();
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var row in rows)
            for (int j = 0; j < row.Count && j < widths.Length; j++) widths[j] = Math.Max(widths[j], row[j].Text.Length);
        var lines = new List<string>
        {
            string.Join("  ", header.Select((h, j) => h.PadRight(widths[j]))),
            string.Join("  ", widths.Select(w => new string('-', w))),
        };
        foreach (var row in rows)
            lines.Add(string.Join("  ", row.Select((c, j) => c.Right ? c.Text.PadLeft(widths[j]) : c.Text.PadRight(widths[j]))));
        var notes = Notes(layout);
        if (notes.Length > 0) lines.Add(notes);
        return string.Join("\n", lines.Select(l => l.TrimEnd()));
    }

    static string Real(double d) =>
        !double.IsFinite(d) ? d.ToString(CultureInfo.InvariantCulture)
        : d != 0 && Math.Abs(d) < 1e-3 ? d.ToString("0.0e+0", CultureInfo.InvariantCulture)
        : d.ToString("F4", CultureInfo.InvariantCulture);

    static bool IsNumber(object v) => v is double or float or decimal or int or long or short or byte or uint or ulong or ushort or sbyte;

    /// <summary>The text of one cell: doubles F4, or two significant digits in scientific notation when 0 &lt; |x| &lt; 1e-3
    /// (so 5.7e-6 does not print as 0.0000; NaN as "NaN"), integers N0, everything else invariant ToString.</summary>
    public static string Format(object? v) => v switch
    {
        null => "",
        double d => Real(d),
        float f => Real(f),
        decimal m => m.ToString("F4", CultureInfo.InvariantCulture),
        int or long or short or uint or ulong or ushort or byte or sbyte => ((IFormattable)v).ToString("N0", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Take(10).Select(Format)),
        _ => v.ToString() ?? "",
    };
}
