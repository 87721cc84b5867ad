using TinierHar.Models;

namespace TinierHar.Studies;

/// <summary>One tier of the study the repository commits (issue 11): what it asks for, in plan order.</summary>
/// <param name="Number">1-based; tiers are planned and run in this order.</param>
/// <param name="Title">What the tier answers.</param>
/// <param name="Requests">The plan requests that make it up.</param>
public sealed record StudyTier(int Number, string Title, IReadOnlyList<StudyRequest> Requests)
{
    /// <summary>The tier's jobs (a job an earlier tier also asks for, e.g. the sweep's default point, is listed here too).</summary>
    public IReadOnlyList<StudyJob> Jobs() => Requests.SelectMany(r => r.Jobs()).DistinctBy(j => j.Key).ToList();
}

/// <summary>
/// The five tiers of the committed study, paper preset: <c>tinierhar study plan --out results --tiers 1,2,3,4,5</c>
/// plans all of them. A job belongs to the first tier that asks for it.
/// </summary>
public static class StudyTiers
{
    static readonly string[] Three = [ModelCatalog.TinierHar, ModelCatalog.TinyHar, ModelCatalog.DeepConvLstm];

    public static IReadOnlyList<StudyTier> All { get; } =
    [
        new(1, "main comparison: USC-HAD and HAPT, the three full models, seed 1", [new(["uschad", "hapt"], Three)]),
        new(2, "TinierHAR's ablations and design-space sweep on USC-HAD", [new(["uschad"], [ModelCatalog.TinierHar], VariantSet.Ablations, Sweep: true)]),
        new(3, "TinyHAR's and DeepConvLSTM's ablations on USC-HAD", [new(["uschad"], [ModelCatalog.TinyHar, ModelCatalog.DeepConvLstm], VariantSet.Ablations)]),
        new(4, "seeds 2 and 3 of the main comparison", [new(["uschad", "hapt"], Three, Seeds: [2, 3])]),
        new(5, "UTD-MHAD, and the ablations on HAPT", [new(["utdmhad"], Three), new(["hapt"], Three, VariantSet.Ablations)]),
    ];

    /// <summary>The tier with this number; a message naming the valid ones otherwise.</summary>
    public static StudyTier Get(int number) => All.FirstOrDefault(t => t.Number == number)
        ?? throw new TinierHarException($"unknown tier {number} (expected one of: {string.Join(", ", All.Select(t => t.Number))})");

    /// <summary>The number of the first tier that asks for a job with this key; null for a job outside every tier.</summary>
    public static int? Of(Training.RunKey key) => Membership.Value.TryGetValue(key, out var n) ? n : null;

    static readonly Lazy<Dictionary<Training.RunKey, int>> Membership = new(() =>
    {
        var map = new Dictionary<Training.RunKey, int>();
        foreach (var tier in All)
            foreach (var job in tier.Jobs())
                map.TryAdd(job.Key, tier.Number);
        return map;
    });
}
