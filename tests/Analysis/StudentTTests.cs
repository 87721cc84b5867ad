using TinierHar.Analysis;

namespace TinierHar.Tests.Analysis;

/// <summary>Student-t quantiles against published table values (two-sided 95 % and one-sided 95 %).</summary>
public class StudentTTests
{
    [Theory]
    [InlineData(0.975, 1, 12.706204736)]
    [InlineData(0.975, 2, 4.302652730)]
    [InlineData(0.975, 6, 2.446911851)]
    [InlineData(0.975, 9, 2.262157163)]
    [InlineData(0.975, 30, 2.042272456)]
    [InlineData(0.95, 4, 2.131846786)]
    [InlineData(0.995, 12, 3.054539586)]
    public void Quantiles_match_the_table(double p, int df, double t)
    {
        Assert.Equal(t, StudentT.Quantile(p, df), 8);
        Assert.Equal(-t, StudentT.Quantile(1 - p, df), 8);
        Assert.Equal(p, StudentT.Cdf(t, df), 10);
    }

    [Fact]
    public void Cdf_is_symmetric_and_bad_arguments_are_refused()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 3), 15);
        Assert.Equal(1 - StudentT.Cdf(1.3, 5), StudentT.Cdf(-1.3, 5), 14);
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(0.5, 0));
    }
}
