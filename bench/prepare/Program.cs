using TinierHar.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TinierHar;
using TinierHar.Data;

// Cold vs cached preparation time of every dataset present in the data folder.
// Usage: dotnet run -c Release --project bench/prepare -- [--data DIR] [--repeat N] [--out FILE.md]
// Cold = parse the original files + validate + write the cache + cut windows; cached = read the cache + cut windows
// (best of N). Each dataset gets a fresh temporary cache folder; nothing is written into the data folder.
string? dataOption = null, outFile = null;
int repeat = 3;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data" when i + 1 < args.Length: dataOption = args[++i]; break;
        case "--out" when i + 1 < args.Length: outFile = args[++i]; break;
        case "--repeat" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r > 0: repeat = r; i++; break;
        default: Console.Error.WriteLine($"bench/prepare: unexpected argument '{args[i]}' (expected --data DIR, --repeat N, --out FILE.md)"); return 2;
    }
}
try
{
    var data = DataFolder.Resolve(dataOption);
    outFile ??= Path.Combine(DataFolder.RepositoryRoot(), "bench", "results", "prepare.md");
    var rows = new List<string>();
    foreach (var info in DatasetRegistry.All.Where(data.Has))
    {
        var tmp = Directory.CreateTempSubdirectory("tinierhar-bench-").FullName;
        try
        {
            var cache = new WindowCache(tmp);
            Machine.Settle();
            var clock = Stopwatch.StartNew();
            LoadedDataset cold;
            try { cold = LoadedDataset.Load(info, data, cache); }
            catch (TinierHarException e) { Console.WriteLine($"{info.Key,-12} skipped: {e.Message}"); continue; }
            double coldMs = clock.Elapsed.TotalMilliseconds;
            double best = double.MaxValue;
            for (int k = 0; k < repeat; k++)
            {
                Machine.Settle();
                clock.Restart();
                var warm = LoadedDataset.Load(info, data, cache);
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                if (!warm.FromCache) throw new InvalidOperationException($"{info.Key}: second load did not hit the cache");
            }
            long cacheBytes = Directory.EnumerateFiles(tmp).Sum(f => new FileInfo(f).Length);
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {info.Key} | {cold.Recordings.Count:N0} | {cold.SampleCount:N0} | {cold.Windows.Count:N0} | {coldMs:F0} | {best:F0} | {coldMs / best:F1}× | {cacheBytes / 1048576.0:F1} |");
            rows.Add(row);
            Console.WriteLine(row);
        }
        finally { Directory.Delete(tmp, recursive: true); }
    }
    var machine = $"{Environment.ProcessorCount} cores ({Machine.CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {(Debugger.IsAttached ? "debugger" : "no debugger")}, build {Machine.Config()}";
    var text = $"""
        # Dataset preparation: cold vs cached

        Measured {DateTime.UtcNow:yyyy-MM-dd} on {machine}; data folder `{data.Root}`; cached time is the best of {repeat}.
        Cold = parse the original files, validate, write the cache, cut windows. Cached = read and verify the cache, cut windows.

        | dataset | recordings | samples | windows | cold ms | cached ms | speed-up | cache MiB |
        |---|---:|---:|---:|---:|---:|---:|---:|
        {string.Join("\n", rows)}

        """;
    Machine.WriteResults(outFile, text);
    return 0;
}
catch (TinierHarException e)
{
    Console.Error.WriteLine($"bench/prepare: {e.Message}");
    return 2;
}


