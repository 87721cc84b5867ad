using TinierHar.Analysis;

namespace TinierHar.Tests.Analysis;

/// <summary>HTML tables (synthetic rows: these test formatting mechanics only).</summary>
public class TablesTests
{
    sealed record Row(string Name, double Score, long Count, int Small);

    static string Html(object table, int maxRows = 20, int maxColumns = 12)
    {
        using var w = new StringWriter();
        Tables.Html(table, maxRows, maxColumns).WriteTo(w, System.Text.Encodings.Web.HtmlEncoder.Default);
        return w.ToString();
    }

    [Fact]
    public void A_100000_row_frame_gives_less_than_20_kB_with_a_more_rows_line()
    {
        var rows = Enumerable.Range(0, 100_000).Select(i => new Row($"r{i}", i / 3.0, 1000L * i, i)).ToList();
        var frame = Tables.Frame(rows);
        Assert.Equal(100_000, frame.RowCount);
        var html = Html(frame);
        Assert.True(html.Length < 20_000, $"{html.Length} characters");
        Assert.Contains("… 99,980 more rows", html);
        Assert.Contains("<th>Score</th>", html);
        Assert.Contains("<td>0.3333</td>", html);   // 1/3 as F4
        Assert.Contains("<td>19,000</td>", html);   // long with thousands separator
        Assert.DoesNotContain("r20<", html);
    }

    sealed record Noted(string Claim, double Value, string Note);

    [Fact]
    public void Long_text_cells_wrap_and_short_ones_do_not()
    {
        var note = "does not match: " + new string('x', 100);
        var html = Html(new[] { new Noted("short claim", 1.5, note) });
        Assert.Contains("<td class=\"th-text\">short claim</td>", html);
        Assert.Contains($"<td class=\"th-text th-long\">{note}</td>", html);
        Assert.Contains("td.th-long{white-space:normal", html);
        Assert.Contains("<td>1.5000</td>", html);
    }

    [Fact]
    public void Tiny_numbers_keep_two_significant_digits()
    {
        Assert.Equal("5.7e-6", Tables.Format(5.7220458984375E-06));
        Assert.Equal("-1.0e-4", Tables.Format(-1e-4));
        Assert.Equal("0.0000", Tables.Format(0.0));
        Assert.Equal("0.0010", Tables.Format(1e-3));
        Assert.Equal("NaN", Tables.Format(double.NaN));
    }

    [Fact]
    public void Records_become_columns_and_text_is_encoded()
    {
        var rows = new[] { new Row("<b>&", 1234.56789, 1234567, 42), new Row("x", double.NaN, 0, -1) };
        var html = Html(rows);
        Assert.Contains("&lt;b&gt;&amp;", html);
        Assert.DoesNotContain("<b>&", html);
        Assert.Contains("<td>1234.5679</td>", html);
        Assert.Contains("<td>1,234,567</td>", html);
        Assert.Contains("NaN", html);
        Assert.DoesNotContain("more rows", html);
        Assert.Contains("<th>Name</th><th>Score</th><th>Count</th><th>Small</th>", html);
    }

    [Fact]
    public void Columns_are_capped_and_scalars_and_empty_sequences_work()
    {
        var html = Html(new[] { new Row("a", 1, 2, 3) }, maxColumns: 2);
        Assert.Contains("<th>Name</th><th>Score</th><th>…</th>", html);
        Assert.Contains("2 more columns", html);
        Assert.Contains("<td>1,000</td>", Html(new[] { 1000, 2000 }));
        Assert.Contains("(no rows)", Html(Array.Empty<Row>()));
        var matrix = Html(new int[30, 3], maxRows: 5);
        Assert.Contains("<th></th><th>0</th><th>1</th><th>2</th>", matrix);
        Assert.Contains("… 25 more rows", matrix);
        var frame = Tables.Frame(new[] { new Row("a", 0.5, 2, 3) });
        Assert.Equal(["Name", "Score", "Count", "Small"], frame.ColumnKeys);
    }

    [Fact]
    public void Text_tables_are_aligned_and_as_compact_as_the_html()
    {
        var rows = Enumerable.Range(0, 100_000).Select(i => new Row($"r{i}", i / 3.0, 1000L * i, i)).ToList();
        var text = Tables.Text(Tables.Frame(rows));
        Assert.True(text.Length < 3_000, $"{text.Length} characters");
        var lines = text.Split('\n');
        Assert.Equal(2 + 20 + 1, lines.Length);
        Assert.Matches(@"^\s+Name\s+Score\s+Count\s+Small$", lines[0]);
        Assert.Matches(@"^-+( +-+){4}$", lines[1]);
        Assert.Matches(@"^19 +r19 +6\.3333 +19,000 +19$", lines[21]);
        Assert.Matches(@"^ *0 +r0 +0\.0000 +0 +0$", lines[2]);
        Assert.Equal(lines[0].Length, lines[2].Length); // numbers right-aligned under their header
        Assert.Equal("… 99,980 more rows (100,000 in all)", lines[22]);
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
    }

    [Fact]
    public void Library_records_and_sequences_of_them_are_tables_other_values_are_not()
    {
        var ratio = new RatioRow("params", 2.7, 2.7, 2.5, 2.6, 2.6, true, "matches", 14);
        Assert.True(Tables.IsTable(ratio));
        Assert.True(Tables.IsTable(new[] { ratio }));
        Assert.True(Tables.IsTable(new List<RatioRow> { ratio }));
        Assert.True(Tables.IsTable(Tables.Frame(new[] { new Row("a", 1, 2, 3) })));
        Assert.False(Tables.IsTable("text"));
        Assert.False(Tables.IsTable(new[] { 1, 2 }));
        Assert.False(Tables.IsTable(new[] { new Row("a", 1, 2, 3) })); // a test's record, not the library's
        Assert.Contains(typeof(RatioRow), Tables.RecordTypes());
        Assert.DoesNotContain(typeof(TinierHar.Figures.FigureStore), Tables.RecordTypes()); // a class, not a record
        Assert.Contains("MeanOfRatios", Tables.Text(new[] { ratio }).Split('\n')[0]);
    }
}
