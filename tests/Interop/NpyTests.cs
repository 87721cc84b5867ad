using System.Text;
using TinierHar.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Interop;

public sealed class NpyTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("tinierhar-npy-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string Golden(string name) => TestPaths.Checkpoint(name);

    private string TempFile(string name) => Path.Combine(_temp, name);

    /// <summary>Builds a .npy file by hand: magic, version, header length (u16 for 1.0, u32 otherwise), header, payload.</summary>
    private static byte[] RawNpy(string header, byte[] payload, byte major = 1, bool padAndNewline = true)
    {
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        int lengthSize = major == 1 ? 2 : 4;
        var text = header;
        if (padAndNewline)
        {
            int length = 8 + lengthSize + encoding.GetByteCount(text) + 1;
            text += new string(' ', (64 - length % 64) % 64) + "\n";
        }
        var headerBytes = encoding.GetBytes(text);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        if (lengthSize == 2) bytes.AddRange(BitConverter.GetBytes((ushort)headerBytes.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)headerBytes.Length));
        bytes.AddRange(headerBytes);
        bytes.AddRange(payload);
        return bytes.ToArray();
    }

    private static byte[] FloatBytes(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    // ------------------------------------------------------------ golden files written by numpy

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Golden_batch_x_is_float32_with_the_model_input_shape()
    {
        var a = Npy.Read(Golden("fold4_test_batch_x.npy"));
        Assert.Equal("<f4", a.DType);
        Assert.Equal(new long[] { 165, 1, 200, 23 }, a.Shape);
        var data = Assert.IsType<float[]>(a.Data);
        Assert.Equal(165 * 200 * 23, data.Length);
        Assert.All(data, v => Assert.True(float.IsFinite(v)));
        Assert.True(data.Distinct().Count() > 1000, "the inputs should not be constant");
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Golden_outputs_first_row_and_argmax_match_the_labels()
    {
        var y = Npy.Read(Golden("fold4_test_batch_y.npy"));
        Assert.Equal("<i8", y.DType);
        Assert.Equal(new long[] { 165 }, y.Shape);
        var labels = Assert.IsType<long[]>(y.Data);
        Assert.All(labels, l => Assert.InRange(l, 0, 11));

        var o = Npy.Read(Golden("fold4_test_outputs.npy"));
        Assert.Equal("<f4", o.DType);
        Assert.Equal(new long[] { 165, 12 }, o.Shape);
        var outputs = Assert.IsType<float[]>(o.Data);

        float[] expectedFirstRow = [-1.6447f, 0.6414f, 1.6260f, -1.4778f, -1.9345f, -2.2491f, 8.4603f, -0.6452f, 1.2876f, 0.2351f, -0.0152f, -2.4379f];
        for (int j = 0; j < 12; j++)
            Assert.Equal(expectedFirstRow[j], outputs[j], 0.0001f);
        Assert.Equal(6, labels[0]);

        for (int i = 0; i < 165; i++)
        {
            var row = outputs.AsSpan(i * 12, 12);
            int argmax = 0;
            for (int j = 1; j < 12; j++)
                if (row[j] > row[argmax]) argmax = j;
            Assert.True(argmax == labels[i], $"row {i}: argmax {argmax}, label {labels[i]}");
        }
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Golden_files_read_as_tensors_keep_dtype_and_shape()
    {
        using var x = Npy.ReadTensor(Golden("fold4_test_batch_x.npy"));
        using var y = Npy.ReadTensor(Golden("fold4_test_batch_y.npy"));
        using var o = Npy.ReadTensor(Golden("fold4_test_outputs.npy"));
        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal(new long[] { 165, 1, 200, 23 }, x.shape);
        Assert.Equal(ScalarType.Int64, y.dtype);
        Assert.Equal(new long[] { 165 }, y.shape);
        Assert.Equal(ScalarType.Float32, o.dtype);
        Assert.Equal(new long[] { 165, 12 }, o.shape);

        using var predicted = o.argmax(1);
        using var equal = predicted.eq(y);
        using var all = equal.all();
        Assert.True(all.item<bool>());
        Assert.Equal(8.4603f, o[0, 6].item<float>(), 0.0001f);
        // Element order is C order: compare a deep element with the flat array.
        var flat = (float[])Npy.Read(Golden("fold4_test_batch_x.npy")).Data;
        Assert.Equal(flat[((100 * 1 + 0) * 200 + 57) * 23 + 11], x[100, 0, 57, 11].item<float>());
    }

    [RequiresSharedTheory(SharedFiles.Checkpoint)]
    [InlineData("fold4_test_batch_x.npy")]
    [InlineData("fold4_test_batch_y.npy")]
    [InlineData("fold4_test_outputs.npy")]
    public void Rewriting_a_numpy_file_gives_identical_bytes(string name)
    {
        var original = Golden(name);
        var copy = TempFile(name);
        Npy.Write(copy, Npy.Read(original));
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
    }

    // ------------------------------------------------------------ writing

    [Fact]
    public void Written_bytes_are_what_numpy_writes()
    {
        var path = TempFile("small.npy");
        Npy.Write(path, new float[] { 1, 2, 3, 4, 5, 6.5f }, [2, 3]);
        var bytes = File.ReadAllBytes(path);

        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        Assert.Equal(128 + 6 * 4, bytes.Length);
        Assert.Equal(new byte[] { 0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0 }, bytes[..8]);
        Assert.Equal(128 - 10, BitConverter.ToUInt16(bytes, 8));
        var header = Encoding.Latin1.GetString(bytes, 10, 118);
        Assert.StartsWith(dict, header);
        Assert.Equal(new string(' ', 118 - dict.Length - 1) + "\n", header[dict.Length..]);
        Assert.Equal(FloatBytes(1, 2, 3, 4, 5, 6.5f), bytes[128..]);
    }

    [Fact]
    public void Header_keeps_numpys_spare_room_for_the_first_axis()
    {
        // numpy (format._write_array_header) appends 21 - len(repr(shape[0])) spaces before aligning,
        // so the first axis can grow in place. With 15 axes of size 1 the dictionary is 98 characters:
        // 10 + 98 + 1 = 109 would fit in 128 bytes, but with the 20 spare spaces it needs 192.
        var path = TempFile("spare.npy");
        long[] shape = Enumerable.Repeat(1L, 15).ToArray();
        Npy.Write(path, new float[] { 1 }, shape);
        var bytes = File.ReadAllBytes(path);
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + string.Join(", ", shape) + "), }";
        Assert.Equal(98, dict.Length);
        Assert.Equal(192 - 10, BitConverter.ToUInt16(bytes, 8));
        Assert.Equal(dict + new string(' ', 192 - 10 - dict.Length - 1) + "\n", Encoding.Latin1.GetString(bytes, 10, 182));
        Assert.Equal(192 + 4, bytes.Length);
    }

    [Fact]
    public void Header_is_padded_to_64_bytes_and_ends_with_newline_for_every_rank()
    {
        long[][] shapes = [[], [7], [1, 2], [3, 1, 2], [1, 1, 1, 1, 1, 1, 1, 1], [123456789012, 0]];
        foreach (var shape in shapes)
        {
            var path = TempFile("pad.npy");
            long count = shape.Aggregate(1L, (a, b) => a * b);
            Npy.Write(path, new double[count], shape);
            var bytes = File.ReadAllBytes(path);
            int headerLength = BitConverter.ToUInt16(bytes, 8);
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
            Assert.Equal(10 + headerLength + count * 8, bytes.Length);
            Assert.Equal(shape, Npy.Read(path).Shape);
        }
    }

    public static TheoryData<string, long[], Array> RoundTripCases => new()
    {
        { "<f4", [], new float[] { 3.25f } },
        { "<f4", [5], new float[] { 0, -0f, float.NaN, float.PositiveInfinity, float.Epsilon } },
        { "<f4", [2, 1, 3, 2], Enumerable.Range(0, 12).Select(i => i * 0.5f - 3).ToArray() },
        { "<f8", [], new double[] { Math.PI } },
        { "<f8", [4], new double[] { double.MinValue, double.MaxValue, double.NegativeInfinity, 1e-300 } },
        { "<f8", [3, 2, 2, 1], Enumerable.Range(0, 12).Select(i => i / 7.0).ToArray() },
        { "<i8", [], new long[] { -42 } },
        { "<i8", [3], new long[] { long.MinValue, 0, long.MaxValue } },
        { "<i8", [1, 2, 3, 2], Enumerable.Range(0, 12).Select(i => (long)i * 1_000_000_007).ToArray() },
        { "<f4", [0], Array.Empty<float>() },
        { "<i8", [2, 0, 3], Array.Empty<long>() },
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Round_trip_preserves_dtype_shape_and_bits(string dtype, long[] shape, Array data)
    {
        var path = TempFile("roundtrip.npy");
        Npy.Write(path, new NpyArray(dtype, shape, data));
        var back = Npy.Read(path);
        Assert.Equal(dtype, back.DType);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(data.GetType(), back.Data.GetType());
        Assert.Equal(data.Length, back.Data.Length);
        // Bitwise equality (NaN and -0 included).
        switch (data)
        {
            case float[] f:
                Assert.Equal(f.Select(BitConverter.SingleToInt32Bits), ((float[])back.Data).Select(BitConverter.SingleToInt32Bits));
                break;
            case double[] d:
                Assert.Equal(d.Select(BitConverter.DoubleToInt64Bits), ((double[])back.Data).Select(BitConverter.DoubleToInt64Bits));
                break;
            default:
                Assert.Equal((long[])data, (long[])back.Data);
                break;
        }
    }

    [Fact]
    public void Tensor_round_trip_for_each_dtype_and_scalar()
    {
        using var f = torch.randn(2, 3, 4, 5);
        using var d = torch.randn(new long[] { 7 }, dtype: ScalarType.Float64);
        using var l = torch.arange(0, 24, dtype: ScalarType.Int64).reshape(4, 6);
        using var s = torch.tensor(2.5f);
        foreach (var (t, name) in new[] { (f, "f"), (d, "d"), (l, "l"), (s, "s") })
        {
            var path = TempFile($"tensor-{name}.npy");
            Npy.WriteTensor(path, t);
            using var back = Npy.ReadTensor(path);
            Assert.Equal(t.dtype, back.dtype);
            Assert.Equal(t.shape, back.shape);
            using var same = t.eq(back);
            using var all = same.all();
            Assert.True(all.item<bool>(), $"tensor {name} changed in the round trip");
        }
    }

    [Fact]
    public void WriteTensor_writes_a_non_contiguous_view_in_C_order()
    {
        using var t = torch.arange(0, 6, dtype: ScalarType.Int64).reshape(2, 3);
        using var transposed = t.t();
        Assert.False(transposed.is_contiguous());
        var path = TempFile("transposed.npy");
        Npy.WriteTensor(path, transposed);
        var back = Npy.Read(path);
        Assert.Equal(new long[] { 3, 2 }, back.Shape);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, (long[])back.Data);
    }

    [Fact]
    public void WriteTensor_rejects_unsupported_dtype_naming_the_file()
    {
        using var t = torch.zeros(3, dtype: ScalarType.Int32);
        var path = TempFile("int32-tensor.npy");
        var e = Assert.Throws<TinierHarException>(() => Npy.WriteTensor(path, t));
        Assert.Contains("int32-tensor.npy", e.Message);
        Assert.Contains("Int32", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Write_replaces_an_existing_file_and_leaves_no_temporary_files()
    {
        var path = TempFile("replace.npy");
        Npy.Write(path, new long[] { 1, 2, 3 }, [3]);
        Npy.Write(path, new double[] { 9 }, []);
        var back = Npy.Read(path);
        Assert.Equal("<f8", back.DType);
        Assert.Equal(new double[] { 9 }, (double[])back.Data);
        Assert.Equal(new[] { "replace.npy" }, Directory.GetFiles(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_into_a_missing_folder_is_a_user_error_naming_the_file()
    {
        var path = Path.Combine(_temp, "no-such-folder", "out.npy");
        var e = Assert.Throws<TinierHarException>(() => Npy.Write(path, new float[] { 1 }, [1]));
        Assert.Contains("out.npy", e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp));
    }

    [Fact]
    public void Write_rejects_a_shape_that_does_not_match_the_data()
    {
        var path = TempFile("mismatch.npy");
        Assert.Throws<ArgumentException>(() => Npy.Write(path, new float[5], [2, 3]));
        Assert.Throws<ArgumentException>(() => Npy.Write(path, new float[1], [-1, -1]));
        Assert.Throws<ArgumentException>(() => Npy.Write(path, new NpyArray("<f8", [1], new float[1])));
        Assert.False(File.Exists(path));
    }

    // ------------------------------------------------------------ reading other versions and header styles

    [Theory]
    [InlineData((byte)2)]
    [InlineData((byte)3)]
    public void Reads_versions_2_and_3_with_a_u32_header_length(byte major)
    {
        var path = TempFile($"v{major}.npy");
        File.WriteAllBytes(path, RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", FloatBytes(1, 2, 3, 4), major));
        var a = Npy.Read(path);
        Assert.Equal(new long[] { 2, 2 }, a.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, (float[])a.Data);
    }

    [Fact]
    public void Version_3_header_is_decoded_as_utf8()
    {
        // Latin-1 decoding would show the dtype as '\u00c3\u00a9<f4'.
        var path = TempFile("v3-utf8.npy");
        File.WriteAllBytes(path, RawNpy("{'descr': '\u00e9<f4', 'fortran_order': False, 'shape': (6,), }", SixFloats, 3));
        var e = Assert.Throws<TinierHarException>(() => Npy.Read(path));
        Assert.Contains("unsupported dtype '\u00e9<f4'", e.Message);
    }

    [Theory]
    [InlineData("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}", new long[] { 2, 3 })]
    [InlineData("{ \"descr\" : \"<f4\" , \"fortran_order\" : False , \"shape\" : ( 2 , 3 , ) , }", new long[] { 2, 3 })]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(6,)}", new long[] { 6 })]
    [InlineData("{'descr': '<f4',\t'fortran_order': False,\n 'shape': (1, 6L), }", new long[] { 1, 6 })]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 6), }", new long[] { 1, 1, 1, 6 })]
    public void Header_parsing_accepts_any_key_order_spacing_and_trailing_commas(string header, long[] shape)
    {
        var path = TempFile("styles.npy");
        File.WriteAllBytes(path, RawNpy(header, FloatBytes(1, 2, 3, 4, 5, 6)));
        var a = Npy.Read(path);
        Assert.Equal(shape, a.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, (float[])a.Data);
    }

    [Fact]
    public void Reads_a_scalar_with_shape_empty_tuple()
    {
        var path = TempFile("scalar.npy");
        File.WriteAllBytes(path, RawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(-2.5)));
        var a = Npy.Read(path);
        Assert.Empty(a.Shape);
        Assert.Equal(new double[] { -2.5 }, (double[])a.Data);
        using var t = Npy.ReadTensor(path);
        Assert.Equal(0, t.dim());
        Assert.Equal(-2.5, t.item<double>());
    }

    [Fact]
    public void Bytes_after_the_data_are_ignored_like_numpy()
    {
        var path = TempFile("trailing.npy");
        File.WriteAllBytes(path, RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", FloatBytes(7, 8)));
        Assert.Equal(new float[] { 7 }, (float[])Npy.Read(path).Data);
    }

    // ------------------------------------------------------------ errors

    private TinierHarException ReadBad(string name, byte[] bytes)
    {
        var path = TempFile(name);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<TinierHarException>(() => Npy.Read(path));
        Assert.Contains(name, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var e2 = Assert.Throws<TinierHarException>(() => Npy.ReadTensor(path).Dispose());
        Assert.Equal(e.Message, e2.Message);
        return e;
    }

    private static readonly byte[] SixFloats = FloatBytes(1, 2, 3, 4, 5, 6);
    private const string GoodHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    [Fact]
    public void Bad_magic_is_rejected_with_offset_0()
    {
        var bytes = RawNpy(GoodHeader, SixFloats);
        bytes[1] = (byte)'X';
        var e = ReadBad("bad-magic.npy", bytes);
        Assert.Contains("magic", e.Message);
        Assert.Contains("byte offset 0", e.Message);
        Assert.Contains("found 9358554D5059", e.Message); // 93 "XUMPY"
    }

    [Fact]
    public void A_file_too_short_for_the_prefix_is_rejected()
    {
        var e = ReadBad("tiny.npy", [0x93, (byte)'N', (byte)'U']);
        Assert.Contains("3 bytes", e.Message);
    }

    [Fact]
    public void Truncated_payload_is_rejected_with_sizes_and_offset()
    {
        var bytes = RawNpy(GoodHeader, SixFloats);
        var e = ReadBad("truncated.npy", bytes[..^3]);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("needs 24 bytes from byte offset 128", e.Message);
        Assert.Contains("only 21 bytes", e.Message);
    }

    [Fact]
    public void Truncated_header_is_rejected()
    {
        var bytes = RawNpy(GoodHeader, []);
        var e = ReadBad("truncated-header.npy", bytes[..50]);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("header length", e.Message);
    }

    [Fact]
    public void Big_endian_dtype_is_rejected_saying_what_is_supported()
    {
        var e = ReadBad("big-endian.npy", RawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", SixFloats));
        Assert.Contains("big-endian", e.Message);
        Assert.Contains("'>f4'", e.Message);
        Assert.Contains("'<f4'", e.Message);
    }

    [Fact]
    public void Fortran_order_is_rejected()
    {
        var e = ReadBad("fortran.npy", RawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", SixFloats));
        Assert.Contains("fortran_order is True", e.Message);
        Assert.Contains("C order", e.Message);
    }

    [Theory]
    [InlineData("<i4")]
    [InlineData("|u1")]
    [InlineData("|b1")]
    [InlineData("<f2")]
    [InlineData("<U3")]
    public void Unsupported_dtype_is_rejected_naming_it(string dtype)
    {
        var e = ReadBad("dtype.npy", RawNpy($"{{'descr': '{dtype}', 'fortran_order': False, 'shape': (6,), }}", new byte[64]));
        Assert.Contains($"unsupported dtype '{dtype}'", e.Message);
        Assert.Contains("'<i8'", e.Message);
    }

    [Fact]
    public void Structured_dtype_is_rejected()
    {
        var e = ReadBad("structured.npy", RawNpy("{'descr': [('x', '<f4'), ('y', '<i8')], 'fortran_order': False, 'shape': (1,), }", new byte[12]));
        Assert.Contains("structured", e.Message);
        Assert.Contains("[('x', '<f4'), ('y', '<i8')]", e.Message);
    }

    [Fact]
    public void Unsupported_version_is_rejected()
    {
        var bytes = RawNpy(GoodHeader, SixFloats);
        bytes[6] = 4;
        var e = ReadBad("version.npy", bytes);
        Assert.Contains("version 4.0", e.Message);
        Assert.Contains("byte offset 6", e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", "no 'shape' key")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'extra': 1}", "unexpected key 'extra'")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)}", "duplicate key 'descr'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", "shape must be a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [6]}", "shape must be a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-6,)}", "non-negative")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6.0,)}", "expected an integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}", "True or False")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (6,)}", "expected ',' or '}'")]
    [InlineData("{'descr': '<f4' 'fortran_order': False, 'shape': (6,)}", "expected ',' or '}'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6,)", "expected ',' or '}'")]
    [InlineData("['descr', '<f4']", "expected '{'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6,)} x", "after the closing '}'")]
    [InlineData("{'descr': '<f4', 'fortran_order': false, 'shape': (6,)}", "found 'false'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999, 99999999999)}", "too many elements")]
    public void Malformed_headers_are_rejected_saying_what_was_expected(string header, string expected)
    {
        var e = ReadBad("malformed.npy", RawNpy(header, SixFloats));
        Assert.Contains(expected, e.Message);
        if (expected != "too many elements")
            Assert.Contains("malformed .npy header", e.Message);
    }

    [Fact]
    public void Malformed_header_error_gives_the_byte_offset_of_the_problem()
    {
        // '{' is at byte 10; the bad token 'Nope' starts 37 characters later.
        var e = ReadBad("offset.npy", RawNpy("{'descr': '<f4', 'fortran_order': Nope, 'shape': (6,)}", SixFloats));
        Assert.Contains($"at byte offset {10 + "{'descr': '<f4', 'fortran_order': ".Length}", e.Message);
    }

    [Fact]
    public void Missing_file_is_a_user_error_naming_the_file()
    {
        var path = TempFile("does-not-exist.npy");
        var e = Assert.Throws<TinierHarException>(() => Npy.Read(path));
        Assert.Contains("does-not-exist.npy", e.Message);
        Assert.Contains("not found", e.Message);
        var e2 = Assert.Throws<TinierHarException>(() => Npy.Read(Path.Combine(_temp, "no-folder", "x.npy")));
        Assert.Contains("x.npy", e2.Message);
    }
}
