namespace TinierHar.Export;

/// <summary>An int8 weight matrix, row-major, with one scale per row (output channel): value ≈ <c>Values[r,i]·Scales[r]</c>.</summary>
public sealed record QuantizedMatrix(sbyte[] Values, float[] Scales)
{
    public int Rows => Scales.Length;
    public int Columns => Values.Length / Scales.Length;
}

/// <summary>
/// Symmetric int8 quantisation as the int8 C export uses it: codes in [−127, 127] (−128 unused, so that the range is
/// symmetric), zero maps to 0, <c>scale = maxAbs/127</c>, <c>q = clamp(round(v/scale))</c> with rounding half away from
/// zero (C's <c>roundf</c>, which the generated code uses for activations). A range of 0 gets scale 1 (all codes 0).
/// </summary>
public static class Int8Quantizer
{
    public const int MaxCode = 127;

    /// <summary>The scale that maps ±<paramref name="maxAbs"/> to ±127 (1 when the range is 0).</summary>
    public static float Scale(double maxAbs)
    {
        if (!double.IsFinite(maxAbs) || maxAbs < 0) throw new TinierHarException($"cannot quantise a range of {maxAbs}");
        return maxAbs == 0 ? 1f : (float)(maxAbs / MaxCode);
    }

    /// <summary>The int8 code of <paramref name="v"/> at <paramref name="scale"/>, clamped to [−127, 127].</summary>
    public static sbyte Quantize(float v, float scale)
    {
        var q = Math.Round((double)v / scale, MidpointRounding.AwayFromZero);
        return (sbyte)Math.Clamp(q, -MaxCode, MaxCode);
    }

    /// <summary>Quantises a row-major matrix of <paramref name="rows"/> rows with one scale per row (per output channel).</summary>
    public static QuantizedMatrix PerChannel(IReadOnlyList<float> weights, int rows)
    {
        if (rows < 1 || weights.Count % rows != 0)
            throw new TinierHarException($"{weights.Count} weights do not split into {rows} rows");
        int columns = weights.Count / rows;
        var values = new sbyte[weights.Count];
        var scales = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double max = 0;
            for (int i = 0; i < columns; i++) max = Math.Max(max, Math.Abs(weights[r * columns + i]));
            scales[r] = Scale(max);
            for (int i = 0; i < columns; i++) values[r * columns + i] = Quantize(weights[r * columns + i], scales[r]);
        }
        return new QuantizedMatrix(values, scales);
    }
}
