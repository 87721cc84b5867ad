using System.Globalization;
using System.Text;
using TinierHar.Data.Loaders;

namespace TinierHar.Tests.Data;

/// <summary>The shared text-parsing helpers of the loaders.</summary>
public class ParsingTests
{
    [Fact]
    public void FastDouble_equals_double_Parse_bit_for_bit()
    {
        var rng = new Random(1234);
        var samples = new List<string>
        {
            "0", "-0", "1", "-1", "0.0", "1.", ".5", "-.5", "+3.25", "9007199254740992", "9007199254740993",
            "0.1", "0.2", "0.3", "1e22", "1e23", "1e-22", "1e-23", "123456789012345678", "1234567890123456789",
            "12345678901234567890", "4.9e-324", "1.7976931348623157e308", "0.9180555898766518", "-0.009461",
            "2.5808950e-01", "1.0000000e-04", "-9.8184", "1E5", "1e+05", "7.0553403", "49105962326000",
        };
        for (int i = 0; i < 20000; i++)
        {
            double v = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-12, 14));
            samples.Add(v.ToString(rng.Next(4) switch { 0 => "R", 1 => "E7", 2 => "F6", _ => "G9" }, CultureInfo.InvariantCulture));
            samples.Add(rng.Next(-100000, 100000).ToString(CultureInfo.InvariantCulture));
        }
        foreach (var s in samples)
        {
            var bytes = Encoding.ASCII.GetBytes(s);
            Assert.True(TextFields.TryParseNumber(bytes, out double got), s);
            double want = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got), $"{s}: {want:R} vs {got:R}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("NA")]
    [InlineData("null")]
    public void Missing_spellings_parse_as_NaN(string s)
    {
        Assert.True(TextFields.TryParseNumber(Encoding.ASCII.GetBytes(s), out double v));
        Assert.True(double.IsNaN(v));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData("1,5")]
    public void Garbage_is_not_a_number(string s) =>
        Assert.False(TextFields.TryParseNumber(Encoding.ASCII.GetBytes(s), out _));

    [Fact]
    public void Split_whitespace_and_character_separators()
    {
        var r = new Range[8];
        var line = "  1.5\t 2  3 "u8;
        Assert.Equal(3, TextFields.Split(line, Separator.Whitespace, r));
        Assert.Equal("2", Encoding.ASCII.GetString(line[r[1]]));
        var csv = "a,,b,"u8;
        Assert.Equal(4, TextFields.Split(csv, Separator.Comma, r));
        Assert.Equal("", Encoding.ASCII.GetString(csv[r[1]]));
        Assert.Equal("", Encoding.ASCII.GetString(csv[r[3]]));
        Assert.Equal(4, TextFields.Split(csv, Separator.Comma, r.AsSpan(0, 2))); // counts beyond the span
    }

    [Fact]
    public void TextFile_line_ends_bom_and_blank_lines()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat("a\r\nb\n\n  \rc"u8.ToArray()).ToArray();
        var f = TextFile.FromBytes("mem", bytes);
        Assert.Equal(3, f.CountDataLines());
        var seen = new List<(string, int)>();
        while (f.NextDataLine(out var line)) seen.Add((Encoding.ASCII.GetString(line), f.LineNumber));
        Assert.Equal([("a", 1), ("b", 2), ("c", 5)], seen);
    }

    [Fact]
    public void Interpolation_matches_pandas_linear_both_directions()
    {
        double n = double.NaN;
        // 2 channels, 6 rows; channel 1 has no value at all and stays NaN.
        double[] v = [n, n, 2, n, 4, n, n, n, 10, n, n, n];
        Samples.InterpolateNaNBothDirections(v, 6, 2);
        Assert.Equal([2, 2, 4, 7, 10, 10], new[] { v[0], v[2], v[4], v[6], v[8], v[10] });
        Assert.True(new[] { v[1], v[3], v[5], v[7], v[9], v[11] }.All(double.IsNaN));
        double[] w = [1, n, n, n, 3];
        Samples.InterpolateNaNBothDirections(w, 5, 1);
        Assert.Equal([1, 1.5, 2, 2.5, 3], w);
    }

    [Fact]
    public void Every_nth_row_with_offset()
    {
        var rec = new TinierHar.Data.Recording(1, "b", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, [0, 1, 2, 3, 4]);
        var d = Samples.EveryNthRow(rec, 3, 2);
        Assert.Equal([2], d.Labels);
        Assert.Equal([4f, 5f], d.Samples);
        Assert.Equal([0, 3], Samples.EveryNthRow(rec, 3, 0).Labels);
        Assert.Empty(Samples.EveryNthRow(rec, 3, 7).Labels);
        var pieces = Pamap2Loader.Downsample([rec, rec, rec], acrossFiles: true);
        Assert.Equal([[0, 3], [1, 4], [2]], pieces.Select(p => p.Labels));
    }
}
