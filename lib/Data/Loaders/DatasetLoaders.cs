namespace TinierHar.Data.Loaders;

/// <summary>
/// The loader for each dataset key of SPEC.md section 4 (plus <c>utdmhad</c>), with the folder name the dataset
/// is expected under in the data folder (<c>&lt;data&gt;/&lt;Folder&gt;</c>, holding the archive as it unpacks).
/// </summary>
public static class DatasetLoaders
{
    public sealed record Entry(string Key, string Folder, Func<IDatasetLoader> Create);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("dg", "Daphnet", () => new DaphnetLoader()),
        new("dsads", "DSADS", () => new DsadsLoader()),
        new("hapt", "HAPT", () => new HaptLoader()),
        new("mhealth", "MHEALTH", () => new MhealthLoader()),
        new("motionsense", "MotionSense", () => new MotionSenseLoader()),
        new("oppo", "Opportunity", () => new OpportunityLoader()),
        new("pamap2", "PAMAP2", () => new Pamap2Loader()),
        new("recgym", "RecGym", () => new RecGymLoader()),
        new("rw", "RealWorld", () => new RealWorldLoader()),
        new("sho", "Shoaib", () => new ShoaibLoader()),
        new("skodar", "Skoda", () => new SkodaLoader()),
        new("uci", "UCI-HAR", () => new UciHarLoader()),
        new("uschad", "USC-HAD", () => new UscHadLoader()),
        new("wisdm", "WISDM", () => new WisdmLoader()),
        new("utdmhad", "UTD-MHAD", () => new UtdMhadLoader()),
    ];

    /// <summary>The entry for <paramref name="key"/>; a <see cref="TinierHarException"/> listing the keys otherwise.</summary>
    public static Entry Get(string key) =>
        All.FirstOrDefault(e => e.Key == key)
        ?? throw new TinierHarException($"unknown dataset '{key}'; expected one of {string.Join(", ", All.Select(e => e.Key))}");

    /// <summary>Loads dataset <paramref name="key"/> from <c>dataFolder/Folder</c>.</summary>
    public static IReadOnlyList<Recording> Load(string key, string dataFolder, LoaderOptions options,
        IProgress<string>? progress = null)
    {
        var e = Get(key);
        return e.Create().Load(Path.Combine(dataFolder, e.Folder), options, progress);
    }
}
