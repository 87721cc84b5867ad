using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using TinierHar.Data;
using TinierHar.Data.Loaders;

namespace TinierHar.Tests.Data;

/// <summary>Loaders on the hand-written fixtures of tests/Fixtures (see its README: not real data).</summary>
public class FixtureLoaderTests
{
    private static readonly LoaderOptions Ref = new();
    private static readonly LoaderOptions Fixed = new(ReferenceQuirks: false);

    private static float At(Recording r, int row, int channel) => r.Samples[row * r.Channels + channel];

    private static void AssertNear(double expected, float actual) => Assert.Equal(expected, actual, 1e-4);

    [Fact]
    public void Opportunity_channels_labels_and_interpolation()
    {
        var recs = new OpportunityLoader().Load(TestPaths.Fixture("Opportunity"), Ref);
        Assert.Equal(["S1-ADL1", "S1-Drill", "S2-ADL1"], recs.Select(r => r.Block));
        Assert.Equal([1, 1, 2], recs.Select(r => r.Subject));
        Assert.Equal([8, 5, 4], recs.Select(r => r.Length));
        Assert.All(recs, r => Assert.Equal(77, r.Channels));
        Assert.Equal([0, 0, 406516, 406516, 406516, 404516, 0, 408512], recs[0].Labels);
        Assert.Equal([407521, 407521, 0, 405506, 405506], recs[1].Labels);
        Assert.Equal(37, OpportunityLoader.ChannelColumns[0]);
        Assert.Equal(133, OpportunityLoader.ChannelColumns[76]);
        Assert.Equal([45, 50], OpportunityLoader.ChannelColumns[8..10]);
        Assert.Equal([97, 102], OpportunityLoader.ChannelColumns[44..46]);
        var adl = recs[0];
        for (int r = 0; r < adl.Length; r++)
            for (int k = 0; k < 77; k++)
            {
                int col = OpportunityLoader.ChannelColumns[k];
                double expected = col + r / 1000.0;
                if (col == 37 && r < 2) expected = 37.002; // leading NaN: first value
                if (col == 133 && r > 5) expected = 133.005; // trailing NaN: last value
                AssertNear(expected, At(adl, r, k)); // col 50 rows 3-4: linear between rows 2 and 5 = the formula
            }
        Assert.True(LoaderAsserts.AllFinite(adl.Samples));
    }

    [Fact]
    public void Pamap2_channels_interpolation_and_global_downsampling_quirk()
    {
        var root = TestPaths.Fixture("PAMAP2");
        var recs = new Pamap2Loader().Load(root, Ref);
        Assert.Equal(["subject101", "subject102"], recs.Select(r => r.Block));
        Assert.Equal([1, 2], recs.Select(r => r.Subject));
        Assert.All(recs, r => Assert.Equal(18, r.Channels));
        // 10 rows: 0,3,6,9 kept; the concatenation continues at row 12 = row 2 of subject102: 2,5.
        Assert.Equal([0, 1, 2, 24], recs[0].Labels);
        Assert.Equal([3, 4], recs[1].Labels);
        AssertNear(4.001, At(recs[0], 0, 0));          // col 4 row 0 NaN -> row 1's value
        AssertNear(21.003, At(recs[0], 1, 6));         // col 21 row 3 NaN -> linear between rows 2 and 5
        AssertNear(46.008, At(recs[0], 3, 17));        // col 46 row 9 NaN -> row 8's value
        AssertNear(10.006, At(recs[0], 2, 3));         // col 10 row 6
        AssertNear(4.002, At(recs[1], 0, 0));          // subject102 row 2
        AssertNear(46.005, At(recs[1], 1, 17));        // subject102 row 5
        Assert.True(recs.All(r => LoaderAsserts.AllFinite(r.Samples)));

        var fixedRecs = new Pamap2Loader().Load(root, Fixed);
        Assert.Equal([0, 1, 2, 24], fixedRecs[0].Labels);
        Assert.Equal([3, 0, 4], fixedRecs[1].Labels);
        AssertNear(4.000, At(fixedRecs[1], 0, 0));
        AssertNear(44.006, At(fixedRecs[1], 2, 15));
    }

    [Fact]
    public void Mhealth_23_channels_and_interpolation()
    {
        var recs = new MhealthLoader().Load(TestPaths.Fixture("MHEALTH"), Ref);
        Assert.Equal([1, 2], recs.Select(r => r.Subject));
        Assert.Equal([0, 1, 1, 1, 0, 12], recs[0].Labels);
        Assert.Equal([0, 5, 5, 0], recs[1].Labels);
        var s1 = recs[0];
        Assert.Equal(23, s1.Channels);
        for (int r = 0; r < s1.Length; r++)
            for (int c = 0; c < 23; c++)
            {
                double expected = c + r / 100.0;
                if (c == 3 && r == 0) expected = 3.01;   // empty field, leading
                if (c == 22 && r == 5) expected = 22.04; // empty field, trailing
                AssertNear(expected, At(s1, r, c));       // col 10 row 2 "NaN": linear = the formula
            }
    }

    [Fact]
    public void Shoaib_60_channels_typo_and_interpolation()
    {
        var recs = new ShoLoader().Load(TestPaths.Fixture("Shoaib"), Ref);
        Assert.Equal(["Participant_1", "Participant_2"], recs.Select(r => r.Block));
        Assert.Equal([0, 0, 5, 5, 6, 3], recs[0].Labels); // upsatirs -> upstairs (5)
        Assert.Equal([1, 2, 4, 5], recs[1].Labels);
        Assert.Equal(60, recs[0].Channels);
        Assert.Equal([1, 12, 15, 26, 29, 40, 43, 54, 57, 68],
            new[] { 0, 11, 12, 23, 24, 35, 36, 47, 48, 59 }.Select(k => ShoLoader.ChannelColumns[k]));
        var p1 = recs[0];
        for (int r = 0; r < p1.Length; r++)
            for (int k = 0; k < 60; k++)
            {
                int col = ShoLoader.ChannelColumns[k];
                double expected = col + r / 100.0;
                if (col == 1 && r == 0) expected = 1.01;
                if (col == 68 && r == 5) expected = 68.04;
                AssertNear(expected, At(p1, r, k)); // col 15 row 2 empty: linear = the formula
            }
    }

    [Fact]
    public void UciHar_one_block_per_window()
    {
        var recs = new UciHarLoader().Load(TestPaths.Fixture("UCI-HAR"), Ref);
        Assert.Equal(["train/1", "train/2", "train/3", "test/1", "test/2"], recs.Select(r => r.Block));
        Assert.Equal([1, 1, 3, 2, 2], recs.Select(r => r.Subject));
        Assert.Equal([5, 5, 1, 2, 6], recs.Select(r => r.Labels[0]));
        Assert.All(recs, r => Assert.Equal(128, r.Length));
        Assert.All(recs, r => Assert.Equal(9, r.Channels));
        Assert.All(recs, r => Assert.All(r.Labels, l => Assert.Equal(r.Labels[0], l)));
        foreach (var (rec, w) in new[] { (recs[1], 1), (recs[4], 1), (recs[0], 0) })
            for (int t = 0; t < 128; t += 17)
                for (int s = 0; s < 9; s++)
                    AssertNear(s + w / 10.0 + t / 10000.0, At(rec, t, s));
    }

    [Fact]
    public void Wisdm_v11_malformed_lines_and_user_runs()
    {
        var recs = new WisdmLoader().Load(TestPaths.Fixture("WISDM-v1.1"), Ref);
        Assert.Equal([33, 20, 33], recs.Select(r => r.Subject));
        Assert.Equal(3, recs.Select(r => r.Block).Distinct().Count());
        Assert.Equal([1, 1, 0, 0, 0, 4, 4, 4], recs[0].Labels);
        Assert.Equal([2, 3, 5], recs[1].Labels);
        Assert.Equal([0, 2], recs[2].Labels);
        Assert.Equal([-0.6946377f, 12.680544f, 0.50395286f], recs[0].Samples[..3]);
        Assert.Equal([-0.61291564f, 10.56939f, 5.706926f], recs[0].Samples[18..21]); // 2nd record of line 7
        Assert.Equal([-0.50395286f, 13.947236f, 7.0553403f], recs[0].Samples[21..24]); // trailing ',' before ';'
        Assert.Equal([1.5f, 2.5f, 3.5f], recs[2].Samples[3..6]); // no final ';'

        var records = WisdmRawParser.Read(TextFile.Read(Path.Combine(TestPaths.Fixture("WISDM-v1.1"), "WISDM_ar_v1.1_raw.txt")), out int dropped);
        Assert.Equal(13, records.Count);
        Assert.Equal(3, dropped);
        Assert.Equal([7, 7], records.Where(r => r.Activity == "Upstairs").Take(2).Select(r => r.Line));
    }

    [Fact]
    public void RecGym_wrist_rows_null_class_and_dropna()
    {
        var recs = new RecGymLoader().Load(TestPaths.Fixture("RecGym"), Ref);
        Assert.Equal([1, 2, 10, 1], recs.Select(r => r.Subject));
        Assert.Equal([0, 0, 5, 9], recs[0].Labels); // Adductor, Adductor, Null (kept), Squat
        Assert.Equal([11, 8], recs[1].Labels);      // Walking, Running
        Assert.Equal([2], recs[2].Labels);
        Assert.Equal([4], recs[3].Labels);
        Assert.All(recs, r => Assert.Equal(7, r.Channels));
        Assert.Equal([0.1f, 0.2f, 0.3f, 1.1f, 1.2f, 1.3f, 100.5f], recs[0].Samples[..7]);
        Assert.Equal([0.4f, 0.5f, 0.6f, 1.4f, 1.5f, 1.6f, 100.8f], recs[0].Samples[14..21]);
        Assert.Equal([2.4f, 2.5f, 2.6f, 3.4f, 3.5f, 3.6f, 200.4f], recs[1].Samples[7..14]);
    }

    /// <summary>Copies the RealWorld fixture, zipping every "*_csv" folder into "*_csv.zip" (inner folders → inner zips).</summary>
    private static TempDir RealWorldZipped()
    {
        var temp = new TempDir();
        var src = Path.Combine(TestPaths.Fixture("RealWorld"), "zip-sources");
        foreach (var dir in Directory.EnumerateDirectories(src, "*_csv", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(Path.GetDirectoryName(dir)!).EndsWith("_csv")) continue; // inner session folder
            var dst = Path.Combine(temp.Path, Path.GetRelativePath(src, dir) + ".zip");
            Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            File.WriteAllBytes(dst, ZipFolder(dir));
        }
        return temp;
    }

    private static byte[] ZipFolder(string dir)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                using (var s = zip.CreateEntry(Path.GetFileName(f)).Open())
                    s.Write(File.ReadAllBytes(f));
            foreach (var d in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
                using (var s = zip.CreateEntry(Path.GetFileName(d) + ".zip").Open())
                    s.Write(ZipFolder(d));
        }
        return ms.ToArray();
    }

    [Fact]
    public void RealWorld_resampling_merge_and_session_quirk()
    {
        using var temp = RealWorldZipped();
        var recs = new RealWorldLoader().Load(temp.Path, Ref);
        Assert.Equal(["proband1/walking", "proband2/climbingdown"], recs.Select(r => r.Block));
        Assert.Equal([1, 2], recs.Select(r => r.Subject));
        var walk = recs[0];
        Assert.Equal(21, walk.Channels);
        Assert.Equal(4, walk.Length); // bins 1..4: the span all 7 positions cover
        Assert.All(walk.Labels, l => Assert.Equal(7, l));
        // bin 1: chest empty -> between bin 0 (mean of 2 samples: 2,3,4) and bin 2 (5,6,7)
        Assert.Equal([3.5f, 4.5f, 5.5f, 11f, 12f, 13f, -11f, -12f, -13f, 101f, 101.5f, 99f,
            201f, 201.5f, 199f, 301f, 301.5f, 299f, 401f, 401.5f, 399f], walk.Samples[..21]);
        Assert.Equal([7f, 8f, 9f, 41f, 42f, 43f, -41f, -42f, -43f, 104f, 104.5f, 96f], walk.Samples[63..75]);
        // The reference keeps only the session zip whose name sorts last (_3, 5 rows).
        var climb = recs[1];
        Assert.Equal(5, climb.Length);
        Assert.All(climb.Labels, l => Assert.Equal(0, l));
        Assert.Equal([3f, 3f, 0f, 3f, 4f, 0f], climb.Samples[..6]);

        var all = new RealWorldLoader().Load(temp.Path, Fixed);
        Assert.Equal(["proband1/walking", "proband2/climbingdown/acc_climbingdown_2_csv",
            "proband2/climbingdown/acc_climbingdown_3_csv"], all.Select(r => r.Block));
        Assert.Equal([4, 3, 5], all.Select(r => r.Length));
        Assert.Equal([2f, 2f, 0f], all[1].Samples[..3]);
    }

    [Fact]
    public void Skoda_calibrated_columns_every_third_row()
    {
        using var temp = new TempDir();
        int rows = 7, cols = 71;
        int[] labels = [32, 48, 48, 49, 32, 57, 50];
        var data = new double[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            data[r, 0] = labels[r];
            for (int s = 0; s < 10; s++)
            {
                data[r, 1 + 7 * s] = s + 1;                                          // sensor id
                for (int a = 0; a < 3; a++) data[r, 2 + 7 * s + a] = 1000 * (s + 1) + 10 * a + r; // calibrated
                for (int a = 0; a < 3; a++) data[r, 5 + 7 * s + a] = -1;             // raw
            }
        }
        Directory.CreateDirectory(Path.Combine(temp.Path, "SkodaMiniCP"));
        File.WriteAllBytes(Path.Combine(temp.Path, "SkodaMiniCP", "right_classall_clean.mat"),
            MatV5.DoubleMatrix("right_classall_clean", data));
        var rec = Assert.Single(new SkodaLoader().Load(temp.Path, Ref));
        Assert.Equal(1, rec.Subject);
        Assert.Equal(30, rec.Channels);
        Assert.Equal([32, 49, 50], rec.Labels); // rows 0, 3, 6
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 30; k++)
                Assert.Equal(1000 * (k / 3 + 1) + 10 * (k % 3) + 3 * i, At(rec, i, k));
    }
}

/// <summary>A minimal MATLAB Level 5 writer (one uncompressed double matrix), written from the format description.</summary>
internal static class MatV5
{
    public static byte[] DoubleMatrix(string name, double[,] values)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var body = new MemoryStream();
        void Element(int type, byte[] data)
        {
            var tag = new byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(tag, type);
            BinaryPrimitives.WriteInt32LittleEndian(tag.AsSpan(4), data.Length);
            body.Write(tag);
            body.Write(data);
            body.Write(new byte[(8 - data.Length % 8) % 8]);
        }
        var flags = new byte[8];
        flags[0] = 6; // mxDOUBLE_CLASS
        Element(6, flags);                                            // miUINT32 array flags
        var dims = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(dims, rows);
        BinaryPrimitives.WriteInt32LittleEndian(dims.AsSpan(4), cols);
        Element(5, dims);                                             // miINT32 dimensions
        Element(1, Encoding.ASCII.GetBytes(name));                    // miINT8 name
        var real = new byte[rows * cols * 8];
        for (int c = 0; c < cols; c++)                                // column-major
            for (int r = 0; r < rows; r++)
                BinaryPrimitives.WriteDoubleLittleEndian(real.AsSpan((c * rows + r) * 8), values[r, c]);
        Element(9, real);                                             // miDOUBLE real part

        var file = new MemoryStream();
        var header = new byte[128];
        Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, loader test fixture".PadRight(116)).CopyTo(header, 0);
        header[125] = 1; // version 0x0100
        header[126] = (byte)'I';
        header[127] = (byte)'M';
        file.Write(header);
        var tag2 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag2, 14);            // miMATRIX
        BinaryPrimitives.WriteInt32LittleEndian(tag2.AsSpan(4), (int)body.Length);
        file.Write(tag2);
        file.Write(body.ToArray());
        return file.ToArray();
    }
}
