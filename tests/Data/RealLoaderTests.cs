using TinierHar.Data;
using TinierHar.Data.Loaders;

namespace TinierHar.Tests.Data;

/// <summary>Loaders on the real published files in shared/datasets; expected numbers are those of SOURCES.md.</summary>
public class RealLoaderTests
{
    private static readonly LoaderOptions Ref = new();
    private static readonly LoaderOptions Fixed = new(ReferenceQuirks: false);

    private static void AssertWellFormed(IReadOnlyList<Recording> recs, int channels)
    {
        foreach (var r in recs)
        {
            Assert.Equal(channels, r.Channels);
            Assert.Equal(r.Length * channels, r.Samples.Length);
            Assert.True(LoaderAsserts.AllFinite(r.Samples), $"{r.Block} has NaN or infinite samples");
        }
        Assert.Equal(recs.Count, recs.Select(r => r.Block).Distinct().Count());
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet)]
    public void Daphnet_rows_per_file_and_labels()
    {
        var recs = new DaphnetLoader().Load(TestPaths.Dataset("Daphnet"), Ref);
        var expected = new Dictionary<string, int>
        {
            ["S01R02"] = 52095, ["S02R01"] = 72561, ["S02R02"] = 89645, ["S03R02"] = 38774,
            ["S03R03"] = 70269, ["S06R02"] = 44227, ["S07R02"] = 50335,
        };
        Assert.Equal(expected.Keys.Order(), recs.Select(r => r.Block));
        foreach (var r in recs)
        {
            Assert.Equal(expected[r.Block], r.Length);
            Assert.Equal(int.Parse(r.Block[1..3]), r.Subject);
            Assert.All(r.Labels, l => Assert.InRange(l, 0, 2));
        }
        AssertWellFormed(recs, 9);
        Assert.DoesNotContain(2, recs.Single(r => r.Block == "S03R03").Labels);
        Assert.DoesNotContain(2, recs.Single(r => r.Block == "S06R02").Labels);
        Assert.Contains(2, recs.Single(r => r.Block == "S01R02").Labels);
        // First row of S01R02 is "15 40 29 -960 0 0 0 0 0 0 0": the time (15) is dropped.
        var first = recs[0].Samples.AsSpan(0, 9).ToArray();
        Assert.Equal([40f, 29f, -960f, 0f, 0f, 0f, 0f, 0f, 0f], first);
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Dsads)]
    public void Dsads_1140_segments_of_125_rows_with_the_duplicated_column_quirk()
    {
        var root = TestPaths.Dataset("DSADS");
        var recs = new DsadsLoader().Load(root, Ref);
        Assert.Equal(1140, recs.Count);
        Assert.All(recs, r => Assert.Equal(125, r.Length));
        Assert.All(recs, r => Assert.Equal(1, r.Subject));
        AssertWellFormed(recs, 45);
        Assert.Equal(Enumerable.Range(1, 19), recs.Select(r => r.Labels[0]).Distinct().Order());
        Assert.All(recs.GroupBy(r => r.Labels[0]), g => Assert.Equal(60, g.Count()));
        Assert.All(recs, r => Assert.All(r.Labels, l => Assert.Equal(r.Labels[0], l)));

        // Quirk: channel 43 repeats column 42; corrected it is column 43.
        var a01 = recs[0];
        Assert.Equal("a01/p1/s01.txt", a01.Block);
        Assert.Equal(0.74017f, a01.Samples[43]); // first row's column 42 (0-based), again
        Assert.Equal(a01.Samples[42], a01.Samples[43]);
        var fixedRecs = new DsadsLoader().Load(root, Fixed);
        Assert.Equal(-0.05773f, fixedRecs[0].Samples[44]);
        Assert.Equal(0.30053f, fixedRecs[0].Samples[43]);
        Assert.Equal(0.74017f, fixedRecs[0].Samples[42]);
        Assert.Equal(0.74017f, a01.Samples[42]);
    }

    [RequiresSharedFact(SharedFiles.Hapt)]
    public void Hapt_rows_per_experiment_and_label_segments()
    {
        // Expected values from the files themselves (HaptFacts: plain File.ReadLines, no loader code) and SOURCES.md.
        var root = TestPaths.Dataset("HAPT");
        var facts = HaptFacts.Of(root);
        Assert.Equal(61, facts.Experiments.Count);                                     // SOURCES.md: 61 experiments
        Assert.Equal(Enumerable.Range(1, 30), facts.Experiments.Select(e => e.User).Distinct().Order()); // users 1-30
        Assert.Equal(1_122_772, facts.SampleCount);                                      // SOURCES.md
        Assert.All(facts.Experiments, e => Assert.Equal(e.Rows, File.ReadLines(e.GyroPath).Count(l => l.Trim().Length > 0)));
        Assert.Equal(1214, facts.Segments.Count);                                      // SOURCES.md: 1214 rows

        var recs = new HaptLoader().Load(root, Ref);
        Assert.Equal(facts.Experiments.Select(e => e.Block), recs.Select(r => r.Block));
        Assert.Equal(facts.Experiments.Select(e => e.Rows), recs.Select(r => r.Length));
        Assert.Equal(facts.Experiments.Select(e => e.User), recs.Select(r => r.Subject));
        Assert.Equal([20598, 19286, 18026, 16565], recs.Take(4).Select(r => r.Length)); // SOURCES.md, experiments 1-4
        AssertWellFormed(recs, 6);
        // Every row's label is the activity of the labels.txt segment covering it, 0 outside (reference reading:
        // start..end are 0-based inclusive rows).
        for (int i = 0; i < recs.Count; i++) Assert.True(facts.Experiments[i].Labels.AsSpan().SequenceEqual(recs[i].Labels), recs[i].Block);
        // exp 1: first segment "1 1 5 250 1232", next "1 1 7 1233 1392".
        var e1 = recs[0];
        Assert.Equal((0, 5, 5, 7), (e1.Labels[249], e1.Labels[250], e1.Labels[1232], e1.Labels[1233]));
        Assert.Equal([22, 23, 20, 20], Enumerable.Range(1, 4).Select(e => facts.Segments.Count(s => s.Exp == e)));
        // Acc then gyro, parsed as written: every sample of the first and the last experiment.
        Assert.Equal(0.9180555898766518f, e1.Samples[0]);
        Assert.Equal(HaptFacts.FirstRow(facts.Experiments[0].GyroPath), e1.Samples[3..6]);
        Assert.Equal(HaptFacts.Samples(facts.Experiments[0]), e1.Samples);
        Assert.Equal(HaptFacts.Samples(facts.Experiments[^1]), recs[^1].Samples);

        // Corrected: 1-based indices, one row earlier.
        var fixedFacts = HaptFacts.Of(root, referenceRows: false);
        var fixedRecs = new HaptLoader().Load(root, Fixed);
        for (int i = 0; i < fixedRecs.Count; i++) Assert.True(fixedFacts.Experiments[i].Labels.AsSpan().SequenceEqual(fixedRecs[i].Labels), fixedRecs[i].Block);
        Assert.Equal((0, 5, 5, 7), (fixedRecs[0].Labels[248], fixedRecs[0].Labels[249], fixedRecs[0].Labels[1231], fixedRecs[0].Labels[1232]));
        Assert.Equal(recs[0].Samples, fixedRecs[0].Samples);
    }

    [RequiresSharedFact(SharedFiles.Hapt)]
    public void Hapt_label_segments_do_not_overlap_and_end_inside_the_signal()
    {
        // The loader writes segments in file order; that order only matters if segments overlap, which they do not.
        var facts = HaptFacts.Of(TestPaths.Dataset("HAPT"));
        var rows = facts.Experiments.ToDictionary(e => e.Exp, e => e.Rows);
        foreach (var g in facts.Segments.GroupBy(s => s.Exp))
        {
            var ordered = g.OrderBy(s => s.Start).ToArray();
            for (int i = 1; i < ordered.Length; i++) Assert.True(ordered[i].Start > ordered[i - 1].End, $"exp {g.Key}: overlap at {ordered[i].Start}");
            Assert.All(ordered, s => Assert.True(s.End < rows[g.Key], $"exp {g.Key}: end {s.End} ≥ {rows[g.Key]} rows"));
        }
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.MotionSense)]
    public void MotionSense_rows_per_trial()
    {
        var recs = new MotionSenseLoader().Load(TestPaths.Dataset("MotionSense"), Ref);
        var expected = new Dictionary<string, int>
        {
            ["dws_1"] = 1751, ["dws_2"] = 2458, ["dws_11"] = 896, ["ups_3"] = 2195, ["ups_4"] = 3075, ["ups_12"] = 1066,
            ["wlk_7"] = 5439, ["wlk_8"] = 4340, ["wlk_15"] = 1333, ["jog_9"] = 4861, ["jog_16"] = 1567,
            ["sit_5"] = 10292, ["sit_13"] = 10292, ["std_6"] = 10194, ["std_14"] = 2553,
        };
        Assert.Equal(15, recs.Count);
        Assert.Equal(["dws_1", "dws_2", "dws_11", "ups_3", "ups_4", "ups_12", "wlk_7", "wlk_8", "wlk_15", "jog_9",
            "jog_16", "sit_5", "sit_13", "std_6", "std_14"], recs.Select(r => r.Block.Split('/')[0]));
        foreach (var r in recs)
        {
            var trial = r.Block.Split('/')[0];
            Assert.Equal(expected[trial], r.Length);
            Assert.Equal(1, r.Subject);
            int label = Array.IndexOf(MotionSenseLoader.Activities, trial[..3]);
            Assert.All(r.Labels, l => Assert.Equal(label, l));
        }
        AssertWellFormed(recs, 12);
        // First data row of dws_1: index 0 dropped, then attitude.roll 1.528132 ...
        Assert.Equal(1.528132f, recs[0].Samples[0]);
        Assert.Equal(0.377542f, recs[0].Samples[11]);
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Wisdm)]
    public void Wisdm_line_parser_reads_the_2019_phone_accel_file()
    {
        var path = Path.Combine(TestPaths.Dataset("WISDM"), "wisdm-dataset", "raw", "phone", "accel",
            "data_1600_accel_phone.txt");
        var records = WisdmRawParser.Read(TextFile.Read(path), out int dropped);
        Assert.Equal(64311, records.Count);
        Assert.Equal(0, dropped);
        Assert.All(records, r => Assert.Equal(1600, r.User));
        Assert.Equal(18, records.Select(r => r.Activity).Distinct().Count());
        Assert.Equal(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "O", "P", "Q", "R", "S"],
            records.Select(r => r.Activity).Distinct().Order());
        Assert.Equal(-0.36476135, records[0].X);
        Assert.Equal(1.0550842, records[0].Z);
        Assert.Equal(64311, records[^1].Line);
    }

    [RequiresSharedFact(SharedFiles.Dsads)]
    public void Missing_dataset_folder_is_a_user_error()
    {
        var missing = Path.Combine(TestPaths.Datasets, "no-such-dataset");
        var e = Assert.Throws<TinierHarException>(() => new DsadsLoader().Load(missing, Ref));
        Assert.Contains("no-such-dataset", e.Message);
        var e2 = Assert.Throws<TinierHarException>(() => new HaptLoader().Load(TestPaths.Dataset("DSADS"), Ref));
        Assert.Contains("DSADS", e2.Message);
    }
}

/// <summary>MAT-file based loaders on the real USC-HAD and UTD-MHAD files.</summary>
public class RealMatLoaderTests
{
    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_all_840_trials_2811490_samples()
    {
        var recs = new UscHadLoader().Load(TestPaths.Dataset("USC-HAD"), new LoaderOptions());
        Assert.Equal(840, recs.Count);
        Assert.Equal(2_811_490, recs.Sum(r => (long)r.Length));
        Assert.Equal(Enumerable.Range(1, 14), recs.Select(r => r.Subject).Distinct());
        Assert.All(recs, r => Assert.InRange(r.Length, 600, 13500));
        Assert.All(recs, r => Assert.Equal(6, r.Channels));
        Assert.All(recs, r => Assert.True(LoaderAsserts.AllFinite(r.Samples), r.Block));
        Assert.Equal(840, recs.Select(r => r.Block).Distinct().Count());
        Assert.Equal("Subject1/a1t1", recs[0].Block);
        // The label comes from the file name, also for Subject14/a3t2 whose metadata says activity 2.
        var odd = recs.Single(r => r.Block == "Subject14/a3t2");
        Assert.All(odd.Labels, l => Assert.Equal(3, l));
        Assert.All(recs, r => Assert.All(r.Labels, l => Assert.Equal(int.Parse(r.Block.Split('/')[1][1..^2].Split('t')[0]), l)));
        Assert.Equal(Enumerable.Range(1, 12), recs.Select(r => r.Labels[0]).Distinct().Order());
        Assert.All(recs.GroupBy(r => r.Subject), g => Assert.Equal(60, g.Count()));
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void UtdMhad_861_files()
    {
        var recs = new UtdMhadLoader().Load(TestPaths.Dataset("UTD-MHAD"), new LoaderOptions());
        Assert.Equal(861, recs.Count);
        Assert.All(recs, r => Assert.InRange(r.Length, 107, 326));
        Assert.All(recs, r => Assert.Equal(6, r.Channels));
        Assert.All(recs, r => Assert.True(LoaderAsserts.AllFinite(r.Samples), r.Block));
        Assert.Equal(Enumerable.Range(1, 8), recs.Select(r => r.Subject).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 27), recs.Select(r => r.Labels[0]).Distinct().Order());
        Assert.DoesNotContain(recs, r => r.Block is "a8_s1_t4" or "a23_s6_t4" or "a27_s8_t4");
        Assert.Equal("a1_s1_t1", recs[0].Block);
    }
}

internal static class LoaderAsserts
{
    public static bool AllFinite(float[] values)
    {
        foreach (float v in values)
            if (!float.IsFinite(v))
                return false;
        return true;
    }
}
