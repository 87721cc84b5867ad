using TinierHar.Cli.Workbook;

namespace TinierHar.Tests.Workbook;

public sealed class CSharpLiteralTests
{
    [Theory]
    [InlineData(null, "null")]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    [InlineData(42, "42")]
    [InlineData(-7, "-7")]
    [InlineData(1.5, "1.5d")]
    [InlineData(1.0, "1d")]
    [InlineData(1e-7, "1E-07d")]
    [InlineData(double.NaN, "double.NaN")]
    [InlineData(double.PositiveInfinity, "double.PositiveInfinity")]
    [InlineData("plain", "@\"plain\"")]
    [InlineData(@"C:\data\set", "@\"C:\\data\\set\"")]
    [InlineData("say \"hi\"", "@\"say \"\"hi\"\"\"")]
    [InlineData("", "@\"\"")]
    public void Formats_scalars(object? value, string expected) => Assert.Equal(expected, CSharpLiteral.Format(value));

    [Fact]
    public void Doubles_are_invariant_and_round_trip()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("0.1d", CSharpLiteral.Format(0.1));
            Assert.Equal("0.30000000000000004d", CSharpLiteral.Format(0.1 + 0.2));
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }

    [Fact]
    public void Formats_string_arrays()
    {
        Assert.Equal("new string[] { @\"a\", @\"b\"\"c\" }", CSharpLiteral.Format(new[] { "a", "b\"c" }));
        Assert.Equal("new string[0]", CSharpLiteral.Format(Array.Empty<string>()));
    }

    [Fact]
    public void Rejects_other_types() => Assert.Throws<ArgumentException>(() => CSharpLiteral.Format(new object()));

    [Fact]
    public void Assignments_one_per_line_in_order()
    {
        var text = CSharpLiteral.Assignments(new Dictionary<string, object?> { ["Quick"] = true, ["DataDir"] = "/d", ["Seed"] = 3 });
        Assert.Equal("Quick = true;\nDataDir = @\"/d\";\nSeed = 3;", text);
    }
}
