using TinierHar.Data;
using TinierHar.Models;

namespace TinierHar.Efficiency;

/// <summary>
/// Window T, channels C and classes K of the paper's 14 datasets as the reference uses them (docs/reference.md section 4,
/// efficiency.csv), taken from the dataset registry: what the efficiency counter needs without any data present.
/// </summary>
public static class DatasetShapes
{
    public static IReadOnlyDictionary<string, InputShape> All { get; } =
        new SortedDictionary<string, InputShape>(
            DatasetRegistry.Paper.ToDictionary(d => d.Key, d => new InputShape(d.WindowT, d.C, d.K)),
            StringComparer.Ordinal);
}
