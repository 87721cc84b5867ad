using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using TinierHar.Data.Formats;
using Xunit.Abstractions;

namespace TinierHar.Tests.Data;

public sealed class MatFileTests(ITestOutputHelper output) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("tinierhar-mat-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    static string Usc(string relative) => Path.Combine(TestPaths.Dataset("USC-HAD"), relative);
    static string Utd(string name) => Path.Combine(Path.Combine(TestPaths.Dataset("UTD-MHAD"), "Inertial"), name);

    static readonly string[] UscVariables =
    [
        "title", "version", "date", "subject", "age", "height", "weight", "activity", "activity_number", "trial",
        "sensor_location", "sensor_orientation", "sensor_readings",
    ];

    // ------------------------------------------------------------------ USC-HAD

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_Subject1_a1t1_SensorReadings_MatchScipyGoldenValues()
    {
        var mat = MatFile.Read(Usc("Subject1/a1t1.mat"));
        var r = mat.GetMatrix("sensor_readings");
        Assert.Equal((2400, 6, "double"), (r.Rows, r.Cols, r.ClassName));
        Assert.Equal(2400 * 6, r.Data.Length);
        // Golden values from scipy 1.10.1 (Debian python3-scipy), printed with repr(float(x)):
        //   scipy.io.loadmat('USC-HAD/Subject1/a1t1.mat')['sensor_readings'][i]
        // (the values are float32 readings widened to double, hence the long decimals; repr round-trips exactly).
        Assert.Equal([1.1627799272537231, -0.18928739428520203, -0.2957805395126343, -18.78132438659668, 3.3618721961975098, -16.863128662109375], Row(r, 0));
        Assert.Equal([1.0322957038879395, -0.20014481246471405, -0.37630394101142883, -13.544508934020996, 5.77886438369751, -14.446136474609375], Row(r, 1));
        Assert.Equal([0.757591962814331, -0.15671512484550476, -0.28113994002342224, 5.388596534729004, 50.493221282958984, -13.237640380859375], Row(r, 1234));
        Assert.Equal([0.9052452445030212, -0.5403439998626709, -0.16767513751983643, 29.96135139465332, -23.62787437438965, 27.045562744140625], Row(r, 2399));
        Assert.Equal(-16.863128662109375, r[0, 5]);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_Subject1_a1t1_MetadataAreTopLevelCharArraysInFileOrder()
    {
        var mat = MatFile.Read(Usc("Subject1/a1t1.mat"));
        Assert.StartsWith("MATLAB 5.0 MAT-file, Platform: PCWIN, Created on: Sun Oct 17 17:39:12 2010", mat.HeaderText);
        Assert.Equal(UscVariables, mat.Variables.Keys);
        // Expected strings as printed by scipy.io.loadmat (see the golden-value test).
        Assert.Equal("USC Human Motion Dataset", mat.GetString("title"));
        Assert.Equal("1.0", mat.GetString("version"));
        Assert.Equal("Oct-2010", mat.GetString("date"));
        Assert.Equal("1", mat.GetString("subject"));
        Assert.Equal("27", mat.GetString("age"));
        Assert.Equal("164cm", mat.GetString("height"));
        Assert.Equal("43kg", mat.GetString("weight"));
        Assert.Equal("walking-forward", mat.GetString("activity"));
        Assert.Equal("1", mat.GetString("activity_number"));
        Assert.Equal("1", mat.GetString("trial"));
        Assert.Equal("front-right-hip", mat.GetString("sensor_location"));
        Assert.Equal("x-gravity-y-walking-direction-z-vertical-to-walking-direction", mat.GetString("sensor_orientation"));
        Assert.IsType<MatString>(mat.Variables["subject"]);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_AllFiles_RowTotalsShapeAndFinite()
    {
        var files = Directory.GetFiles(TestPaths.Dataset("USC-HAD"), "*.mat", SearchOption.AllDirectories);
        Assert.Equal(840, files.Length);
        var watch = Stopwatch.StartNew();
        long total = 0;
        int min = int.MaxValue, max = 0;
        foreach (var file in files)
        {
            var r = MatFile.Read(file).GetMatrix("sensor_readings");
            Assert.Equal(6, r.Cols);
            Assert.Equal("double", r.ClassName);
            Assert.True(Array.TrueForAll(r.Data, double.IsFinite), file);
            total += r.Rows;
            min = Math.Min(min, r.Rows);
            max = Math.Max(max, r.Rows);
        }
        output.WriteLine($"read {files.Length} USC-HAD files in {watch.ElapsedMilliseconds} ms");
        // Totals stated in shared/datasets/SOURCES.md (checked there with scipy).
        Assert.Equal(2_811_490, total);
        Assert.Equal(600, min);
        Assert.Equal(13500, max);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_AllFiles_HaveTheMetadataVariables_ExceptTheKnownQuirks()
    {
        var quirky = new HashSet<string> { "Subject13/a11t4.mat", "Subject3/a1t3.mat", "Subject3/a1t4.mat", "Subject3/a1t5.mat" };
        int checkedFiles = 0;
        foreach (var file in Directory.GetFiles(TestPaths.Dataset("USC-HAD"), "*.mat", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(TestPaths.Dataset("USC-HAD"), file).Replace('\\', '/');
            if (quirky.Contains(rel)) continue;
            var mat = MatFile.Read(file, UscVariables[..^1]); // metadata only: sensor_readings is not decompressed
            Assert.Equal(UscVariables[..^1], mat.Variables.Keys);
            Assert.All(mat.Variables.Values, v => Assert.IsType<MatString>(v));
            checkedFiles++;
        }
        Assert.Equal(836, checkedFiles);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_Quirk_Subject13_a11t4_SpellsActivityNumbr()
    {
        var path = Usc("Subject13/a11t4.mat");
        var mat = MatFile.Read(path);
        Assert.Equal("11", mat.GetString("activity_numbr"));
        Assert.False(mat.Variables.ContainsKey("activity_number"));
        var e = Assert.Throws<TinierHarException>(() => mat.GetString("activity_number"));
        Assert.Equal(
            $"{path}: variable 'activity_number' not found; the file has: title, version, date, subject, age, height, weight, activity, activity_numbr, trial, sensor_location, sensor_orientation, sensor_readings",
            e.Message);
        Assert.Equal("elevator-up", mat.GetString("activity"));
        Assert.Equal(2209, mat.GetMatrix("sensor_readings").Rows); // scipy: (2209, 6)
    }

    [RequiresSharedTheory(SharedFiles.UscHad)]
    [InlineData("a1t3.mat", 2500)]
    [InlineData("a1t4.mat", 2500)]
    [InlineData("a1t5.mat", 2300)]
    public void UscHad_Quirk_Subject3_a1t3to5_HaveComments(string file, int rows)
    {
        var mat = MatFile.Read(Usc("Subject3/" + file));
        Assert.Equal("indoor", mat.GetString("comments")); // scipy: ['indoor']
        Assert.Equal(["sensor_orientation", "comments", "sensor_readings"], mat.Variables.Keys.TakeLast(3));
        Assert.Equal(rows, mat.GetMatrix("sensor_readings").Rows);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHad_Quirk_Subject14_a3t2_MetadataSaysActivity2()
    {
        var mat = MatFile.Read(Usc("Subject14/a3t2.mat"));
        Assert.Equal("2", mat.GetString("activity_number"));
        Assert.Equal("walking-left", mat.GetString("activity"));
        Assert.Equal("14", mat.GetString("subject"));
        Assert.Equal("2", mat.GetString("trial"));
        Assert.Equal(5800, mat.GetMatrix("sensor_readings").Rows); // scipy: (5800, 6)
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Read_WithOnly_ReadsJustThoseAndExplainsTheOthers()
    {
        var path = Usc("Subject1/a1t1.mat");
        var mat = MatFile.Read(path, "activity", "sensor_readings");
        Assert.Equal(["activity", "sensor_readings"], mat.Variables.Keys);
        Assert.Equal("walking-forward", mat.GetString("activity"));
        Assert.Equal(2400, mat.GetMatrix("sensor_readings").Rows);
        var notRead = Assert.Throws<TinierHarException>(() => mat.GetString("title"));
        Assert.Equal($"{path}: variable 'title' was not read: MatFile.Read was asked for only: activity, sensor_readings", notRead.Message);
        var missing = Assert.Throws<TinierHarException>(() => mat.GetMatrix("nope"));
        Assert.StartsWith($"{path}: variable 'nope' not found; the file has: title, version, date,", missing.Message);

        var wrongKind = Assert.Throws<TinierHarException>(() => mat.GetMatrix("activity"));
        Assert.Equal($"{path}: variable 'activity' is a char array, expected a numeric matrix", wrongKind.Message);
        var wrongKind2 = Assert.Throws<TinierHarException>(() => mat.GetString("sensor_readings"));
        Assert.Equal($"{path}: variable 'sensor_readings' is a 2400x6 double matrix, expected a char array", wrongKind2.Message);
    }

    // ------------------------------------------------------------------ UTD-MHAD

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void UtdMhad_a1_s1_t1_MatchesScipyGoldenValues()
    {
        var mat = MatFile.Read(Utd("a1_s1_t1_inertial.mat"));
        Assert.StartsWith("MATLAB 5.0 MAT-file, Platform: PCWIN64, Created on: Mon Dec 22 21:07:21 2014", mat.HeaderText);
        Assert.Equal(["d_iner"], mat.Variables.Keys);
        var d = mat.GetMatrix("d_iner");
        Assert.Equal((160, 6, "double"), (d.Rows, d.Cols, d.ClassName));
        // Golden values from scipy 1.10.1: repr(float(x)) for x in loadmat(...)['d_iner'][0] and [-1].
        Assert.Equal([-0.959473, -0.177734, -0.192871, 5.221374, 1.526718, 0.152672], Row(d, 0));
        Assert.Equal([-0.951904, -0.105225, -0.161133, 0.091603, 15.572519, -8.335878], Row(d, 159));
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void UtdMhad_AllFiles_SixColumnsAndRowRange()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.Dataset("UTD-MHAD"), "Inertial"), "*_inertial.mat");
        Assert.Equal(861, files.Length);
        int min = int.MaxValue, max = 0;
        long total = 0;
        foreach (var file in files)
        {
            var mat = MatFile.Read(file);
            Assert.Single(mat.Variables);
            var d = mat.GetMatrix("d_iner");
            Assert.Equal(6, d.Cols);
            Assert.InRange(d.Rows, 107, 326);
            Assert.True(Array.TrueForAll(d.Data, double.IsFinite), file);
            min = Math.Min(min, d.Rows);
            max = Math.Max(max, d.Rows);
            total += d.Rows;
        }
        Assert.Equal((107, 326), (min, max));
        Assert.Equal(155_638, total); // scipy: sum of d_iner.shape[0] over the 861 files
        // Another scipy golden row: loadmat('a27_s8_t3_inertial.mat')['d_iner'][0], shape (255, 6).
        var last = MatFile.Read(Utd("a27_s8_t3_inertial.mat")).GetMatrix("d_iner");
        Assert.Equal(255, last.Rows);
        Assert.Equal([-0.92334, 0.051514, 0.527588, -1.984733, 0.916031, -1.435115], Row(last, 0));
    }

    // ------------------------------------------------------------------ errors

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void Truncated_UtdFile_EveryCut_IsTinierHarExceptionNamingTheFile()
    {
        var bytes = File.ReadAllBytes(Utd("a1_s1_t1_inertial.mat"));
        var path = Path.Combine(temp, "cut.mat");
        for (int k = 0; k < bytes.Length; k++)
        {
            File.WriteAllBytes(path, bytes[..k]);
            if (k == 128)
            {
                // the header alone is a valid MAT-file with no variables
                Assert.Empty(MatFile.Read(path).Variables);
                continue;
            }
            var e = Assert.Throws<TinierHarException>(() => MatFile.Read(path));
            Assert.StartsWith($"{path}: truncated or corrupt at byte ", e.Message);
            Assert.Contains(": expected ", e.Message);
            Assert.DoesNotContain('\n', e.Message);
            if (k is 0 or 100 or 127 or 129 or 140 or 2000) output.WriteLine($"cut at {k}: {e.Message}");
        }
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Truncated_UscFile_ManyCuts_AreErrorsOrAFilePrefix()
    {
        var source = Usc("Subject1/a1t1.mat");
        var bytes = File.ReadAllBytes(source);
        var path = Path.Combine(temp, "a1t1-cut.mat");
        var cuts = Enumerable.Range(0, 1500).Concat(Enumerable.Range(0, bytes.Length / 97).Select(i => 1500 + i * 97))
            .Where(k => k < bytes.Length).Append(bytes.Length - 1).Distinct();
        int errors = 0, prefixes = 0;
        foreach (var k in cuts)
        {
            File.WriteAllBytes(path, bytes[..k]);
            try
            {
                // A cut exactly between two top-level elements leaves a valid file with fewer variables.
                var names = MatFile.Read(path).Variables.Keys.ToArray();
                Assert.True(names.Length < UscVariables.Length, $"cut at {k}");
                Assert.Equal(UscVariables[..names.Length], names);
                prefixes++;
            }
            catch (TinierHarException e)
            {
                Assert.StartsWith($"{path}: truncated or corrupt at byte ", e.Message);
                errors++;
            }
        }
        output.WriteLine($"{errors} errors, {prefixes} valid prefixes");
        Assert.True(errors > 1500);
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void BadHeader_IsTinierHarException()
    {
        var path = Path.Combine(temp, "bad.mat");
        var text = Encoding.ASCII.GetBytes("Hello, this is not a MAT-file at all".PadRight(200));
        File.WriteAllBytes(path, text);
        var e = Assert.Throws<TinierHarException>(() => MatFile.Read(path));
        Assert.Equal($"{path}: not a MAT-file at byte 0: expected the header text \"MATLAB 5.0 MAT-file\", found \"Hello, this is not \"", e.Message);

        var hdf5 = Encoding.ASCII.GetBytes("MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00 .".PadRight(600));
        File.WriteAllBytes(path, hdf5);
        Assert.Contains("MATLAB 7.3 (HDF5)", Assert.Throws<TinierHarException>(() => MatFile.Read(path)).Message);

        var bigEndian = File.ReadAllBytes(Utd("a1_s1_t1_inertial.mat"));
        (bigEndian[126], bigEndian[127]) = ((byte)'M', (byte)'I');
        File.WriteAllBytes(path, bigEndian);
        var be = Assert.Throws<TinierHarException>(() => MatFile.Read(path));
        Assert.StartsWith($"{path}: unsupported MAT-file at byte 126:", be.Message);
        Assert.Contains("big-endian", be.Message);

        var missing = Path.Combine(temp, "missing.mat");
        Assert.StartsWith($"{missing}: cannot read the MAT-file:", Assert.Throws<TinierHarException>(() => MatFile.Read(missing)).Message);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void FlippedByte_InCompressedStream_IsTinierHarException()
    {
        var bytes = File.ReadAllBytes(Usc("Subject1/a1t1.mat"));
        // Walk the top-level tags independently of the reader: the last element is sensor_readings.
        int at = 128, lastData = 0, lastSize = 0;
        while (at < bytes.Length)
        {
            Assert.Equal(15u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at))); // miCOMPRESSED
            lastSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            lastData = at + 8;
            at = lastData + lastSize;
        }
        Assert.Equal(bytes.Length, at);
        var path = Path.Combine(temp, "flipped.mat");
        // zlib header, inside the deflate data at several places, the adler32 checksum at the end
        foreach (var offset in new[] { 0, 1, 2, 10, 100, 1000, lastSize / 3, lastSize / 2, lastSize - 40, lastSize - 5, lastSize - 1 })
        {
            var copy = (byte[])bytes.Clone();
            copy[lastData + offset] ^= 0xFF;
            File.WriteAllBytes(path, copy);
            var e = Assert.Throws<TinierHarException>(() => MatFile.Read(path));
            Assert.StartsWith($"{path}: truncated or corrupt at byte ", e.Message);
            output.WriteLine($"flip at +{offset}: {e.Message}");
        }
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void RandomCorruption_NeverLeaksAnythingButTinierHarException()
    {
        var bytes = File.ReadAllBytes(Utd("a1_s1_t1_inertial.mat"));
        var path = Path.Combine(temp, "fuzz.mat");
        var rng = new Random(12345);
        for (int i = 0; i < 400; i++)
        {
            var copy = (byte[])bytes.Clone();
            int flips = 1 + rng.Next(3);
            for (int f = 0; f < flips; f++) copy[rng.Next(copy.Length)] ^= (byte)(1 + rng.Next(255));
            File.WriteAllBytes(path, copy);
            try
            {
                MatFile.Read(path);
            }
            catch (TinierHarException e)
            {
                Assert.StartsWith($"{path}: ", e.Message);
            }
        }
    }

    // ------------------------------------------------------------------ synthetic file

    /// <summary>
    /// The real files use only top-level miCOMPRESSED matrices of class double (miDOUBLE) and char (miUTF8). This synthetic,
    /// mostly uncompressed file, written here byte by byte from the Level 5 format description, covers the rest:
    /// small data elements, doubles stored as miUINT8/miINT8, integer/single/logical classes, miUINT16 chars, a 2-row char
    /// array, an empty matrix, and variables the reader must report as unsupported.
    /// </summary>
    [Fact]
    public void Synthetic_UncompressedFile_SmallElementsNarrowStorageAndUnsupportedClasses()
    {
        const int Double = 6, Single = 7, Int16 = 10, Int32 = 12, UInt8 = 9, Char = 4, Cell = 1, Struct = 2;
        var w = new SyntheticMat();
        // 2x3 double stored as miUINT8, column-major [[1,2,3],[4,5,6]]; name "u8d" is a small element
        w.Matrix(Double, 0, [2, 3], "u8d", SyntheticMat.Element(2, [1, 4, 2, 5, 3, 6]));
        // 1x1 double 200 stored as a small miUINT8 element; -5 as a small miINT8 element
        w.Matrix(Double, 0, [1, 1], "sc", SyntheticMat.Small(2, [200]));
        w.Matrix(Double, 0, [1, 1], "neg", SyntheticMat.Small(1, [unchecked((byte)-5)]));
        // 1x2 int16 in a small miINT16 element (4 bytes)
        w.Matrix(Int16, 0, [1, 2], "i16", SyntheticMat.Small(3, SyntheticMat.Bytes<short>(-7, 300)));
        // 2x1 int32 in a normal miINT32 element
        w.Matrix(Int32, 0, [2, 1], "i32", SyntheticMat.Element(5, SyntheticMat.Bytes(100000, -100000)));
        // 2x2 single with a long name (normal name element)
        w.Matrix(Single, 0, [2, 2], "longer_name_var", SyntheticMat.Element(7, SyntheticMat.Bytes(1.5f, -2.25f, 3f, 4f)));
        // 3x2 double stored as miDOUBLE
        w.Matrix(Double, 0, [3, 2], "d", SyntheticMat.Element(9, SyntheticMat.Bytes(0.1, 0.2, 0.3, -1e300, double.NaN, 7.0)));
        // logical 1x3: class uint8 with the logical flag
        w.Matrix(UInt8, 0x200, [1, 3], "flag", SyntheticMat.Element(2, [1, 0, 1]));
        // empty 0x0 double
        w.Matrix(Double, 0, [0, 0], "empty", SyntheticMat.Element(9, []));
        // char 1x5 as miUINT16 (what MATLAB writes uncompressed), a 2x3 char matrix, and a small miUTF8 element
        w.Matrix(Char, 0, [1, 5], "ch", SyntheticMat.Element(4, Encoding.Unicode.GetBytes("hello")));
        w.Matrix(Char, 0, [2, 3], "ch2", SyntheticMat.Element(4, Encoding.Unicode.GetBytes("adbecf")));
        w.Matrix(Char, 0, [1, 2], "chs", SyntheticMat.Small(16, Encoding.UTF8.GetBytes("hé")));
        // unsupported: a cell holding a double, a complex double, a 1x1 struct, a 3-D double
        var inner = SyntheticMat.MatrixBytes(Double, 0, [1, 1], "", SyntheticMat.Element(9, SyntheticMat.Bytes(1.0)));
        w.Matrix(Cell, 0, [1, 1], "c", SyntheticMat.Element(14, inner));
        w.Matrix(Double, 0x800, [1, 1], "z", SyntheticMat.Element(9, SyntheticMat.Bytes(1.0)), SyntheticMat.Element(9, SyntheticMat.Bytes(2.0)));
        w.Matrix(Struct, 0, [1, 1], "s", SyntheticMat.Small(5, SyntheticMat.Bytes(8)), SyntheticMat.Element(1, Encoding.ASCII.GetBytes("field\0\0\0")),
            SyntheticMat.Element(14, inner));
        w.Matrix(Double, 0, [2, 1, 2], "nd", SyntheticMat.Element(9, SyntheticMat.Bytes(1.0, 2.0, 3.0, 4.0)));
        // and one compressed element, to mix both kinds
        w.Compressed(SyntheticMat.MatrixBytes(Double, 0, [1, 3], "zc", SyntheticMat.Element(9, SyntheticMat.Bytes(-1.0, 0.5, 2.0))));
        var path = Path.Combine(temp, "synthetic.mat");
        File.WriteAllBytes(path, w.ToArray());

        var mat = MatFile.Read(path);
        Assert.Equal("MATLAB 5.0 MAT-file, synthetic test file", mat.HeaderText);
        Assert.Equal(["u8d", "sc", "neg", "i16", "i32", "longer_name_var", "d", "flag", "empty", "ch", "ch2", "chs", "c", "z", "s", "nd", "zc"],
            mat.Variables.Keys);

        var u8d = mat.GetMatrix("u8d");
        Assert.Equal((2, 3, "double"), (u8d.Rows, u8d.Cols, u8d.ClassName));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], u8d.Data);
        Assert.Equal(6.0, u8d[1, 2]);
        Assert.Equal([200.0], mat.GetMatrix("sc").Data);
        Assert.Equal([-5.0], mat.GetMatrix("neg").Data);
        Assert.Equal("int16", mat.GetMatrix("i16").ClassName);
        Assert.Equal([-7.0, 300], mat.GetMatrix("i16").Data);
        Assert.Equal("int32", mat.GetMatrix("i32").ClassName);
        Assert.Equal([100000.0, -100000], mat.GetMatrix("i32").Data);
        var single = mat.GetMatrix("longer_name_var");
        Assert.Equal(("single", 2, 2), (single.ClassName, single.Rows, single.Cols));
        Assert.Equal([1.5, 3, -2.25, 4], single.Data);
        Assert.Equal([0.1, -1e300, 0.2, double.NaN, 0.3, 7.0], mat.GetMatrix("d").Data);
        Assert.Equal("logical", mat.GetMatrix("flag").ClassName);
        Assert.Equal([1.0, 0, 1], mat.GetMatrix("flag").Data);
        var empty = mat.GetMatrix("empty");
        Assert.Equal((0, 0, 0), (empty.Rows, empty.Cols, empty.Data.Length));
        Assert.Equal("hello", mat.GetString("ch"));
        Assert.Equal("abc\ndef", mat.GetString("ch2"));
        Assert.Equal("hé", mat.GetString("chs"));
        Assert.Equal(new MatUnsupported("c", "cell", "a 1x1 cell array"), mat.Variables["c"]);
        Assert.Equal(new MatUnsupported("z", "double", "a complex 1x1 double matrix"), mat.Variables["z"]);
        Assert.Equal(new MatUnsupported("s", "struct", "a 1x1 struct"), mat.Variables["s"]);
        Assert.Equal(new MatUnsupported("nd", "double", "a 2x1x2 double array (3-D)"), mat.Variables["nd"]);
        Assert.Equal([-1.0, 0.5, 2.0], mat.GetMatrix("zc").Data);

        var e = Assert.Throws<TinierHarException>(() => mat.GetMatrix("c"));
        Assert.Equal($"{path}: variable 'c' is a 1x1 cell array, expected a real 2-D numeric matrix (which MatFile reads)", e.Message);
        Assert.Contains("is a complex 1x1 double matrix", Assert.Throws<TinierHarException>(() => mat.GetMatrix("z")).Message);

        // the same file read with `only`
        var some = MatFile.Read(path, "zc", "ch", "s");
        Assert.Equal(["ch", "s", "zc"], some.Variables.Keys);
    }

    [Fact]
    public void Synthetic_NumericDataOfWrongLength_IsTinierHarException()
    {
        var w = new SyntheticMat();
        w.Matrix(6, 0, [2, 2], "bad", SyntheticMat.Element(9, SyntheticMat.Bytes(1.0, 2.0, 3.0)));
        var path = Path.Combine(temp, "bad-length.mat");
        File.WriteAllBytes(path, w.ToArray());
        var e = Assert.Throws<TinierHarException>(() => MatFile.Read(path));
        Assert.Equal($"{path}: truncated or corrupt at byte 176: expected 4 values (2x2) of 8 bytes for variable 'bad', found 24 bytes", e.Message);
    }

    static double[] Row(MatMatrix m, int row) => m.Data.AsSpan(row * m.Cols, m.Cols).ToArray();

    /// <summary>Writes a little-endian Level 5 MAT-file from the format description (test-side, independent of the reader).</summary>
    sealed class SyntheticMat
    {
        readonly MemoryStream stream = new();

        public SyntheticMat()
        {
            var header = new byte[128];
            Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, synthetic test file".PadRight(116)).CopyTo(header, 0);
            header[124] = 0x00; header[125] = 0x01; // version 0x0100
            header[126] = (byte)'I'; header[127] = (byte)'M';
            stream.Write(header);
        }

        public byte[] ToArray() => stream.ToArray();

        public static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

        /// <summary>A normal element: 4-byte type, 4-byte size, data, zero padding to 8 bytes.</summary>
        public static byte[] Element(int type, byte[] data)
        {
            var e = new byte[8 + (data.Length + 7) / 8 * 8];
            BinaryPrimitives.WriteInt32LittleEndian(e, type);
            BinaryPrimitives.WriteInt32LittleEndian(e.AsSpan(4), data.Length);
            data.CopyTo(e, 8);
            return e;
        }

        /// <summary>A small data element: 2-byte type and 2-byte size packed in 4 bytes, then up to 4 data bytes.</summary>
        public static byte[] Small(int type, byte[] data)
        {
            Assert.InRange(data.Length, 1, 4);
            var e = new byte[8];
            BinaryPrimitives.WriteInt16LittleEndian(e, (short)type);
            BinaryPrimitives.WriteInt16LittleEndian(e.AsSpan(2), (short)data.Length);
            data.CopyTo(e, 4);
            return e;
        }

        public static byte[] MatrixBytes(int cls, int flags, int[] dims, string name, params byte[][] data)
        {
            var content = new MemoryStream();
            content.Write(Element(6, Bytes((uint)(cls | flags), 0u)));
            content.Write(Element(5, Bytes(dims)));
            var nameBytes = Encoding.ASCII.GetBytes(name);
            content.Write(nameBytes.Length is > 0 and <= 4 ? Small(1, nameBytes) : Element(1, nameBytes));
            foreach (var d in data) content.Write(d);
            return content.ToArray();
        }

        public void Matrix(int cls, int flags, int[] dims, string name, params byte[][] data) =>
            stream.Write(Element(14, MatrixBytes(cls, flags, dims, name, data)));

        public void Compressed(byte[] matrixContent)
        {
            var z = new MemoryStream();
            using (var zlib = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(Element(14, matrixContent));
            var compressed = z.ToArray();
            stream.Write(Bytes(15, compressed.Length));
            stream.Write(compressed);
        }
    }
}
