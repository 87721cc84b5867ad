using TinierHar.Data;
using TinierHar.Data.Loaders;

namespace TinierHar.Tests.Data;

/// <summary>Malformed input gives a <see cref="TinierHarException"/> naming the file, the line and what was expected.</summary>
public class LoaderErrorTests
{
    private static readonly LoaderOptions Ref = new();

    private static readonly IDatasetLoader[] AllLoaders =
    [
        new DaphnetLoader(), new DsadsLoader(), new HaptLoader(), new MhealthLoader(), new MotionSenseLoader(),
        new OpportunityLoader(), new Pamap2Loader(), new RecGymLoader(), new RealWorldLoader(), new ShoLoader(),
        new SkodaLoader(), new UciHarLoader(), new UscHadLoader(), new WisdmLoader(), new UtdMhadLoader(),
    ];

    [Fact]
    public void Wrong_column_count_names_file_and_line()
    {
        using var t = new TempDir();
        var path = t.File("dataset_fog_release/dataset/S01R01.txt",
            "15 40 29 -960 0 0 0 0 0 0 0\n31 70 49 -960 0 0 0 0 0 0\n46 60 29 -970 0 0 0 0 0 0 0\n");
        var e = Assert.Throws<TinierHarException>(() => new DaphnetLoader().Load(t.Path, Ref));
        Assert.Equal($"{path}, line 2: expected 11 whitespace-separated values, found 10", e.Message);
    }

    [Fact]
    public void Non_numeric_value_names_file_line_and_column()
    {
        using var t = new TempDir();
        var row = string.Join(",", Enumerable.Range(0, 45).Select(i => i.ToString()));
        var bad = string.Join(",", Enumerable.Range(0, 45).Select(i => i == 4 ? "abc" : i.ToString()));
        var path = t.File("data/a01/p1/s01.txt", $"{row}\r\n{row}\r\n{bad}\r\n");
        var e = Assert.Throws<TinierHarException>(() => new DsadsLoader().Load(t.Path, Ref));
        Assert.Equal($"{path}, line 3: column 5: expected a number, found 'abc'", e.Message);
    }

    [Fact]
    public void Missing_folders_and_files_are_user_errors()
    {
        using var t = new TempDir();
        var missing = Path.Combine(t.Path, "absent");
        foreach (var loader in AllLoaders)
        {
            var e = Assert.Throws<TinierHarException>(() => loader.Load(missing, Ref));
            Assert.Contains(missing, e.Message);
        }
        // An existing but empty dataset folder.
        foreach (var loader in AllLoaders)
        {
            var e = Assert.Throws<TinierHarException>(() => loader.Load(t.Path, Ref));
            Assert.Contains(t.Path, e.Message);
        }
    }

    [Fact]
    public void Missing_gyro_file_of_an_experiment_is_named()
    {
        using var t = new TempDir();
        t.File("RawData/labels.txt", "1 1 5 0 1\n");
        t.File("RawData/acc_exp01_user01.txt", "1 2 3\n4 5 6\n");
        var e = Assert.Throws<TinierHarException>(() => new HaptLoader().Load(t.Path, Ref));
        Assert.Contains("gyro_exp01_user01.txt: file not found", e.Message);
        t.File("RawData/gyro_exp01_user01.txt", "1 2 3\n");
        e = Assert.Throws<TinierHarException>(() => new HaptLoader().Load(t.Path, Ref));
        Assert.Contains("1 rows, but", e.Message);
        Assert.Contains("equal row counts", e.Message);
    }

    [Fact]
    public void MotionSense_wrong_header_is_reported()
    {
        using var t = new TempDir();
        var path = t.File("A_DeviceMotion_data/dws_1/sub_1.csv", ",a,b\n0,1,2\n");
        var e = Assert.Throws<TinierHarException>(() => new MotionSenseLoader().Load(t.Path, Ref));
        Assert.StartsWith($"{path}, line 1: expected the header ',attitude.roll,", e.Message);
    }

    [Fact]
    public void Wisdm_bad_number_and_unknown_activity()
    {
        using var t = new TempDir();
        var path = t.File("WISDM_ar_v1.1_raw.txt", "33,Jogging,1,0.5,1.5,2.5;\n33,Jogging,2,x1,1.5,2.5;\n");
        var e = Assert.Throws<TinierHarException>(() => new WisdmLoader().Load(t.Path, Ref));
        Assert.Equal($"{path}, line 2: column 4: expected a number, found 'x1'", e.Message);
        t.File("WISDM_ar_v1.1_raw.txt", "33,Jogging,1,0.5,1.5,2.5;\n33,Skating,2,1,1.5,2.5;\n");
        e = Assert.Throws<TinierHarException>(() => new WisdmLoader().Load(t.Path, Ref));
        Assert.Equal($"{path}, line 2: unknown activity 'Skating'; expected one of Walking, Jogging, Sitting, Standing, Upstairs, Downstairs", e.Message);
        t.File("WISDM_ar_v1.1_raw.txt", "33,Jogging,1,0.5,1.5,2.5,7;\n");
        e = Assert.Throws<TinierHarException>(() => new WisdmLoader().Load(t.Path, Ref));
        Assert.StartsWith($"{path}, line 1: expected records of 6 comma-separated fields", e.Message);
    }

    [Fact]
    public void RecGym_unknown_workout_and_missing_column()
    {
        using var t = new TempDir();
        var path = t.File("RecGym.csv", "Subject,Position,Session,A_x,A_y,A_z,G_x,G_y,G_z,C_1,Workout\n1,wrist,1,1,1,1,1,1,1,1,Yoga\n");
        var e = Assert.Throws<TinierHarException>(() => new RecGymLoader().Load(t.Path, Ref));
        Assert.StartsWith($"{path}, line 2: column 11: unknown Workout 'Yoga'", e.Message);
        t.File("RecGym.csv", "Subject,Position,A_x\n1,wrist,1\n");
        e = Assert.Throws<TinierHarException>(() => new RecGymLoader().Load(t.Path, Ref));
        Assert.StartsWith($"{path}, line 1: header has no column 'Workout'", e.Message);
    }

    [Fact]
    public void Shoaib_unknown_activity_and_short_row()
    {
        using var t = new TempDir();
        t.CopyFrom(TestPaths.Fixture("Shoaib"));
        var path = Path.Combine(t.Path, "DataSet", "Participant_2.csv");
        var lines = File.ReadAllLines(path);
        lines[3] = lines[3][..lines[3].LastIndexOf(',')] + ",swimming";
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<TinierHarException>(() => new ShoLoader().Load(t.Path, Ref));
        Assert.StartsWith($"{path}, line 4: column 70: expected an activity name", e.Message);
        lines[3] = "1,2,3";
        File.WriteAllLines(path, lines);
        e = Assert.Throws<TinierHarException>(() => new ShoLoader().Load(t.Path, Ref));
        Assert.Equal($"{path}, line 4: expected 70 comma-separated fields, found 3", e.Message);
    }

    [Fact]
    public void Pamap2_wrong_column_count_in_second_file()
    {
        using var t = new TempDir();
        t.CopyFrom(TestPaths.Fixture("PAMAP2"));
        var path = Path.Combine(t.Path, "PAMAP2_Dataset", "Protocol", "subject102.dat");
        var lines = File.ReadAllLines(path);
        lines[5] += " 1.0";
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<TinierHarException>(() => new Pamap2Loader().Load(t.Path, Ref));
        Assert.Equal($"{path}, line 6: expected 54 whitespace-separated values, found 55", e.Message);
    }

    [Fact]
    public void Uci_signal_file_with_too_few_lines()
    {
        using var t = new TempDir();
        t.CopyFrom(TestPaths.Fixture("UCI-HAR"));
        var path = Path.Combine(t.Path, "UCI HAR Dataset", "test", "Inertial Signals", "body_gyro_y_test.txt");
        File.WriteAllLines(path, File.ReadAllLines(path)[..1]);
        var e = Assert.Throws<TinierHarException>(() => new UciHarLoader().Load(t.Path, Ref));
        Assert.Equal($"{path}: 1 lines, but y_*.txt has 2", e.Message);
    }

    [Fact]
    public void Corrupt_realworld_zip_is_named()
    {
        using var t = new TempDir();
        var path = t.File("proband3/data/acc_walking_csv.zip", "not a zip");
        var e = Assert.Throws<TinierHarException>(() => new RealWorldLoader().Load(t.Path, Ref));
        Assert.StartsWith($"{path}: not a readable zip archive", e.Message);
    }
}
