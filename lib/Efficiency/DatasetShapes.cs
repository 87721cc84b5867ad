using TinierHar.Models;

namespace TinierHar.Efficiency;

/// <summary>
/// Window T, channels C and classes K of the paper's 14 datasets, as the reference uses them (SPEC.md section 4,
/// efficiency.csv). The dataset registry (lib/Data) holds the full description; this table is what the efficiency
/// counter needs without any data present.
/// </summary>
public static class DatasetShapes
{
    public static IReadOnlyDictionary<string, InputShape> All { get; } = new SortedDictionary<string, InputShape>(StringComparer.Ordinal)
    {
        ["dg"] = new(256, 9, 2), ["dsads"] = new(100, 45, 19), ["hapt"] = new(200, 6, 12), ["mhealth"] = new(200, 23, 12),
        ["motionsense"] = new(200, 12, 6), ["oppo"] = new(120, 77, 18), ["pamap2"] = new(132, 18, 12), ["recgym"] = new(80, 7, 12),
        ["rw"] = new(200, 21, 8), ["sho"] = new(200, 60, 7), ["skodar"] = new(132, 30, 10), ["uci"] = new(128, 9, 6),
        ["uschad"] = new(400, 6, 12), ["wisdm"] = new(80, 3, 6),
    };
}
