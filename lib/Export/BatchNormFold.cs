namespace TinierHar.Export;

/// <summary>
/// Eval-mode BatchNorm with its running statistics as arithmetic an exporter can write, computed in double and stored as
/// float32: <c>s = γ/√(var+ε)</c>. Folded into the 1×1 or (k,1) conv before it (<c>W' = W·s</c>, <c>b' = b·s + β − mean·s</c>),
/// or, when no linear op precedes it (TinyHAR's Conv → ReLU → BatchNorm), as the per-channel affine
/// <c>y = x·s + (β − mean·s)</c>. ε is BatchNorm2d's default, which every model here uses.
/// </summary>
public static class BatchNormFold
{
    /// <summary>BatchNorm2d's default ε.</summary>
    public const double Eps = 1e-5;

    /// <summary>Folds BatchNorm <paramref name="bn"/> (state_dict prefix ending in '.') over <paramref name="cout"/> channels into
    /// the conv before it, weights <c>[cout][rest]</c> and bias <c>[cout]</c>.</summary>
    public static (float[] W, float[] B) IntoConv(float[] w, float[] b, StateDictValues sd, string bn, int cout)
    {
        if (b.Length != cout || w.Length % cout != 0) throw new TinierHarException($"the conv before {bn} does not have {cout} output channels");
        var (scale, shift) = Scales(sd, bn, cout);
        int rest = w.Length / cout;
        var fw = new float[w.Length];
        var fb = new float[cout];
        for (int o = 0; o < cout; o++)
        {
            for (int i = 0; i < rest; i++) fw[o * rest + i] = (float)(w[o * rest + i] * scale[o]);
            fb[o] = (float)(b[o] * scale[o] + shift[o]);
        }
        return (fw, fb);
    }

    /// <summary>BatchNorm <paramref name="bn"/> over <paramref name="channels"/> as a per-channel scale and shift.</summary>
    public static (float[] Scale, float[] Shift) Affine(StateDictValues sd, string bn, int channels)
    {
        var (scale, shift) = Scales(sd, bn, channels);
        return (scale.Select(v => (float)v).ToArray(), shift.Select(v => (float)v).ToArray());
    }

    static (double[] Scale, double[] Shift) Scales(StateDictValues sd, string bn, int n)
    {
        var (gamma, beta, mean, variance) = (sd.Get(bn + "weight", n), sd.Get(bn + "bias", n), sd.Get(bn + "running_mean", n), sd.Get(bn + "running_var", n));
        var scale = new double[n];
        var shift = new double[n];
        for (int i = 0; i < n; i++)
        {
            scale[i] = gamma[i] / Math.Sqrt(variance[i] + Eps);
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        return (scale, shift);
    }
}
