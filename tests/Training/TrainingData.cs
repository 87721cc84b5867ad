using TinierHar.Data;
using TinierHar.Tests.Data;

namespace TinierHar.Tests.Training;

/// <summary>A small learnable synthetic dataset for training tests: 4 subjects, 2 LOCV folds, T=32, C=3, K=3
/// (class k = a sine of frequency k+1 on channel k, plus seeded noise).</summary>
internal static class TrainingData
{
    public static DatasetInfo Info => Synthetic.Info(t: 32, c: 3, labelMap: [0, 1, 2], groups: [[1, 2], [3, 4]], subjects: [1, 2, 3, 4]);

    public static LoadedDataset Load()
    {
        var info = Info;
        var recs = new List<Recording>();
        var rng = new Random(7);
        foreach (var s in new[] { 1, 2, 3, 4 })
            for (int k = 0; k < 3; k++)
            {
                int rows = 32 * 8;
                var noise = Enumerable.Range(0, rows * 3).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
                recs.Add(Synthetic.Rec(s, Synthetic.Repeat(k, rows), c: 3,
                    value: (i, j) => (j == k ? (float)Math.Sin(2 * Math.PI * (k + 1) * i / 32.0) : 0f) + 0.5f * noise[i * 3 + j],
                    block: $"s{s}c{k}"));
            }
        return new LoadedDataset(info, "/synthetic", recs);
    }
}
