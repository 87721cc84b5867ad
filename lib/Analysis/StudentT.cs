namespace TinierHar.Analysis;

/// <summary>
/// Student's t distribution, for confidence intervals of a mean over a few folds: its CDF through the regularised
/// incomplete beta function (continued fraction, modified Lentz) and its quantile by bisection of the CDF.
/// </summary>
public static class StudentT
{
    /// <summary>P(T ≤ t) for T with <paramref name="df"/> degrees of freedom.</summary>
    public static double Cdf(double t, int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        if (double.IsNaN(t)) return double.NaN;
        double tail = 0.5 * RegularizedBeta(df / (df + t * t), df / 2.0, 0.5); // P(T > |t|)
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="p"/>, to 1e-12.</summary>
    public static double Quantile(double p, int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in (0, 1)");
        if (p < 0.5) return -Quantile(1 - p, df);
        double lo = 0, hi = 1;
        while (Cdf(hi, df) < p) hi *= 2;
        while (hi - lo > 1e-12 * Math.Max(1, hi))
        {
            var mid = 0.5 * (lo + hi);
            if (Cdf(mid, df) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>I_x(a, b).</summary>
    static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - front * ContinuedFraction(1 - x, b, a) / b;
    }

    static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 300; m++)
        {
            // Even step, then odd step of the continued fraction for I_x(a, b).
            foreach (var term in new[] { m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)) })
            {
                d = 1 + term * d;
                d = 1 / (Math.Abs(d) < tiny ? tiny : d);
                c = 1 + term / c;
                if (Math.Abs(c) < tiny) c = tiny;
                h *= c * d;
            }
            if (Math.Abs(c * d - 1) < 1e-15) break;
        }
        return h;
    }

    static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7).</summary>
    static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        double sum = Lanczos[0], t = x + 7.5;
        for (int i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
