using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Interop;

/// <summary>
/// An array read from (or to be written to) a NumPy <c>.npy</c> file: the NumPy dtype descriptor,
/// the shape, and the elements flat in C (row-major) order.
/// </summary>
/// <param name="DType">The NumPy descriptor: <see cref="Npy.Float32"/> (<c>&lt;f4</c>),
/// <see cref="Npy.Float64"/> (<c>&lt;f8</c>) or <see cref="Npy.Int64"/> (<c>&lt;i8</c>).</param>
/// <param name="Shape">The dimensions; empty for a 0-d (scalar) array, one entry for a 1-D array.</param>
/// <param name="Data">The elements, flat in C order: a <c>float[]</c>, <c>double[]</c> or <c>long[]</c>
/// matching <paramref name="DType"/>, with as many elements as the product of <paramref name="Shape"/>
/// (1 for a scalar).</param>
public sealed record NpyArray(string DType, long[] Shape, Array Data)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public long Count => Data.LongLength;
}

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (the format of <c>numpy.save</c> / <c>numpy.load</c>).
/// <para>
/// Implemented: format versions 1.0, 2.0 and 3.0 for reading (header length as u16 for 1.0, u32 for
/// 2.0 and 3.0; latin-1 header for 1.0/2.0, UTF-8 for 3.0); the header dictionary is parsed as a Python
/// literal (any key order, any spacing, trailing commas, <c>()</c> for a scalar and <c>(n,)</c> for 1-D).
/// Writing produces version 1.0 byte-for-byte like current NumPy: keys sorted, spare room for the first
/// axis to grow, header padded with spaces to a multiple of 64 bytes and ending in <c>'\n'</c>; the file is
/// written to a temporary file in the same folder and then moved over the target, so no half-written
/// file is left behind.
/// </para>
/// <para>
/// Not supported (each is a <see cref="TinierHarException"/> naming the file): dtypes other than
/// little-endian float32 (<c>&lt;f4</c>), float64 (<c>&lt;f8</c>) and int64 (<c>&lt;i8</c>) — in particular
/// big-endian (<c>&gt;</c>), other integer widths, booleans, strings, structured and object (pickled)
/// arrays; Fortran order (<c>fortran_order: True</c>); <c>.npz</c> archives; memory mapping.
/// Malformed files (bad magic, unknown version, malformed header, data shorter than the shape needs)
/// are also rejected with the byte offset and what was expected. Bytes after the data are ignored,
/// as NumPy does.
/// </para>
/// </summary>
public static class Npy
{
    /// <summary>NumPy descriptor of little-endian float32.</summary>
    public const string Float32 = "<f4";
    /// <summary>NumPy descriptor of little-endian float64.</summary>
    public const string Float64 = "<f8";
    /// <summary>NumPy descriptor of little-endian int64.</summary>
    public const string Int64 = "<i8";

    private const string Supported = "supported: '<f4' (float32), '<f8' (float64), '<i8' (int64), little-endian, C order";
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int ArrayAlign = 64;
    private const int GrowthAxisMaxDigits = 21; // NumPy: len(str(8 * 2**64 - 1))

    // ---------------------------------------------------------------- reading

    /// <summary>Reads a <c>.npy</c> file into a flat array (see <see cref="Npy"/> for what is supported).</summary>
    /// <exception cref="TinierHarException">The file is missing, unreadable, malformed, truncated, or of an
    /// unsupported dtype/order; the message names the file.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            return ReadFrom(fs, path);
        }
        catch (FileNotFoundException e)
        {
            throw new TinierHarException($"{path}: file not found (expected a .npy file)", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new TinierHarException($"{path}: folder not found (expected a .npy file)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TinierHarException($"{path}: cannot read the .npy file: {OneLine(e.Message)}", e);
        }
        catch (IOException e)
        {
            throw new TinierHarException($"{path}: cannot read the .npy file: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// Reads a <c>.npy</c> file into a CPU tensor with the same shape and dtype
    /// (float32, float64 or int64). The caller owns (and disposes) the tensor.
    /// </summary>
    /// <exception cref="TinierHarException">As for <see cref="Read"/>.</exception>
    public static Tensor ReadTensor(string path)
    {
        var a = Read(path);
        return a.Data switch
        {
            float[] f => torch.tensor(f, a.Shape),
            double[] d => torch.tensor(d, a.Shape),
            long[] l => torch.tensor(l, a.Shape),
            _ => throw new InvalidOperationException($"unexpected element type {a.Data.GetType()}"),
        };
    }

    private static NpyArray ReadFrom(FileStream fs, string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException(".npy reading is implemented for little-endian machines only");

        long fileLength = fs.Length;
        Span<byte> prefix = stackalloc byte[12];
        if (fileLength < 10)
            throw new TinierHarException(
                $"{path}: not a .npy file: it is {fileLength} bytes long, too short for the 10-byte prefix (magic \\x93NUMPY at byte offset 0, version, header length)");
        fs.ReadExactly(prefix[..8]);
        if (!prefix[..6].SequenceEqual(Magic))
            throw new TinierHarException(
                $"{path}: not a .npy file: expected the magic bytes 93 4E 55 4D 50 59 (\\x93NUMPY) at byte offset 0, found {Convert.ToHexString(prefix[..6])}");

        byte major = prefix[6], minor = prefix[7];
        int lengthSize = (major, minor) switch
        {
            (1, 0) => 2,
            (2, 0) or (3, 0) => 4,
            _ => throw new TinierHarException(
                $"{path}: unsupported .npy format version {major}.{minor} at byte offset 6 (supported: 1.0, 2.0, 3.0)"),
        };
        int headerStart = 8 + lengthSize;
        if (fileLength < headerStart)
            throw new TinierHarException(
                $"{path}: truncated .npy file: expected a {lengthSize}-byte header length at byte offset 8, but the file is {fileLength} bytes long");
        fs.ReadExactly(prefix[8..headerStart]);
        long headerLength = lengthSize == 2
            ? BitConverter.ToUInt16(prefix[8..10])
            : BitConverter.ToUInt32(prefix[8..12]);
        long dataOffset = headerStart + headerLength;
        if (dataOffset > fileLength)
            throw new TinierHarException(
                $"{path}: truncated .npy file: the header length at byte offset 8 says {headerLength} bytes from byte offset {headerStart}, but the file is {fileLength} bytes long");

        var headerBytes = new byte[headerLength];
        fs.ReadExactly(headerBytes);
        string header;
        try
        {
            header = major == 3
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes)
                : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new TinierHarException(
                $"{path}: malformed .npy header at byte offset {headerStart}: expected UTF-8 text (version 3.0)", e);
        }

        var (descr, shape) = ParseHeader(header, path, headerStart, utf8: major == 3);

        int itemSize = 8;
        if (descr == Float32) itemSize = 4;
        long count = 1;
        foreach (var dim in shape)
        {
            if (!TryMultiply(count, dim, out count))
                throw new TinierHarException($"{path}: the shape {ShapeRepr(shape)} in the header has too many elements");
        }
        if (!TryMultiply(count, itemSize, out long byteCount))
            throw new TinierHarException($"{path}: the shape {ShapeRepr(shape)} in the header has too many elements");
        long available = fileLength - dataOffset;
        if (available < byteCount)
            throw new TinierHarException(
                $"{path}: truncated .npy data: shape {ShapeRepr(shape)} of '{descr}' needs {byteCount} bytes from byte offset {dataOffset}, but only {available} bytes follow (the file is {fileLength} bytes long)");
        if (count > Array.MaxLength)
            throw new TinierHarException(
                $"{path}: the array of shape {ShapeRepr(shape)} has {count} elements, more than a .NET array can hold ({Array.MaxLength})");

        try
        {
            Array data = descr switch
            {
                Float32 => ReadPayload<float>(fs, (int)count),
                Float64 => ReadPayload<double>(fs, (int)count),
                _ => ReadPayload<long>(fs, (int)count),
            };
            return new NpyArray(descr, shape, data);
        }
        catch (EndOfStreamException e)
        {
            throw new TinierHarException(
                $"{path}: truncated .npy data: expected {byteCount} bytes from byte offset {dataOffset} (the file changed while being read?)", e);
        }
    }

    /// <summary>Reads <paramref name="count"/> elements straight into the bytes of a new array: one
    /// <see cref="Stream.ReadExactly(Span{byte})"/> unless the payload exceeds 2 GiB.</summary>
    private static T[] ReadPayload<T>(Stream s, int count) where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(count);
        int chunk = int.MaxValue / Unsafe.SizeOf<T>();
        for (int start = 0; start < count; start += chunk)
        {
            var part = result.AsSpan(start, Math.Min(chunk, count - start));
            s.ReadExactly(MemoryMarshal.AsBytes(part));
        }
        return result;
    }

    private static bool TryMultiply(long a, long b, out long product)
    {
        try
        {
            product = checked(a * b);
            return true;
        }
        catch (OverflowException)
        {
            product = 0;
            return false;
        }
    }

    // ---------------------------------------------------------------- header parsing

    private static (string Descr, long[] Shape) ParseHeader(string header, string path, int headerStart, bool utf8)
    {
        var parser = new HeaderParser(header, path, headerStart, utf8);
        var dict = parser.ParseDictionary();

        foreach (var key in dict.Keys)
        {
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw parser.Error(0, $"unexpected key '{key}' (expected exactly 'descr', 'fortran_order' and 'shape')");
        }
        foreach (var key in new[] { "descr", "fortran_order", "shape" })
        {
            if (!dict.ContainsKey(key))
                throw parser.Error(0, $"the header has no '{key}' key (expected 'descr', 'fortran_order' and 'shape')");
        }

        // fortran_order
        switch (dict["fortran_order"])
        {
            case false:
                break;
            case true:
                throw new TinierHarException(
                    $"{path}: fortran_order is True (Fortran/column-major order) which is not supported; {Supported}");
            case var other:
                throw parser.Error(0, $"fortran_order must be True or False, found {PyRepr(other)}");
        }

        // descr
        var descrValue = dict["descr"];
        if (descrValue is not string descr)
            throw new TinierHarException(
                $"{path}: unsupported dtype {Truncate(PyRepr(descrValue))} (structured arrays are not supported); {Supported}");
        if (descr is not (Float32 or Float64 or Int64))
        {
            string what = descr.Length > 0 && descr[0] == '>' ? "big-endian dtype" : "dtype";
            throw new TinierHarException($"{path}: unsupported {what} '{Truncate(OneLine(descr))}'; {Supported}");
        }

        // shape
        if (dict["shape"] is not PyTuple tuple)
            throw parser.Error(0, $"shape must be a tuple of integers like (165, 12), (165,) or (), found {Truncate(PyRepr(dict["shape"]))}");
        var shape = new long[tuple.Items.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (tuple.Items[i] is not long dim || dim < 0)
                throw parser.Error(0, $"shape must be a tuple of non-negative integers, found {Truncate(PyRepr(tuple))}");
            shape[i] = dim;
        }
        return (descr, shape);
    }

    /// <summary>A Python tuple literal in the header.</summary>
    private sealed record PyTuple(List<object?> Items);

    /// <summary>Parses the subset of Python literals found in .npy headers: a dict with string keys and
    /// values that are strings, integers, True/False/None, tuples and lists.</summary>
    private sealed class HeaderParser(string text, string path, int headerStart, bool utf8)
    {
        private int _pos;

        public TinierHarException Error(int charIndex, string what)
        {
            long offset = headerStart + (utf8 ? Encoding.UTF8.GetByteCount(text.AsSpan(0, charIndex)) : charIndex);
            string where = charIndex > 0 ? $" at byte offset {offset}" : $" (header at byte offset {headerStart})";
            return new TinierHarException($"{path}: malformed .npy header{where}: {what}");
        }

        public Dictionary<string, object?> ParseDictionary()
        {
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            SkipSpace();
            Expect('{', "'{' starting the header dictionary");
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; break; }
                int keyAt = _pos;
                if (ParseValue() is not string key)
                    throw Error(keyAt, "expected a quoted string key");
                if (dict.ContainsKey(key))
                    throw Error(keyAt, $"duplicate key '{OneLine(key)}'");
                SkipSpace();
                Expect(':', $"':' after the key '{OneLine(key)}'");
                SkipSpace();
                dict[key] = ParseValue();
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                if (Peek() == '}') { _pos++; break; }
                throw Error(_pos, $"expected ',' or '}}' after the value of '{OneLine(key)}', found {Found()}");
            }
            SkipSpace();
            if (_pos != text.Length)
                throw Error(_pos, $"expected only spaces and a newline after the closing '}}', found {Found()}");
            return dict;
        }

        private object? ParseValue()
        {
            char c = Peek();
            if (c is '\'' or '"') return ParseString();
            if (c is '(' or '[') return ParseSequence();
            if (c == '-' || char.IsAsciiDigit(c)) return ParseInteger();
            if (char.IsAsciiLetter(c))
            {
                int start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
                return text[start.._pos] switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    var word => throw Error(start, $"expected a value (string, integer, True, False, None, tuple), found '{Truncate(word)}'"),
                };
            }
            throw Error(_pos, $"expected a value (string, integer, True, False, None, tuple), found {Found()}");
        }

        private string ParseString()
        {
            int start = _pos;
            char quote = text[_pos++];
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length || text[_pos] == '\n')
                    throw Error(start, $"unterminated string (expected a closing {quote})");
                char c = text[_pos++];
                if (c == quote) return sb.ToString();
                if (c == '\\' && _pos < text.Length) c = text[_pos++];
                sb.Append(c);
            }
        }

        private long ParseInteger()
        {
            int start = _pos;
            if (Peek() == '-') _pos++;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            if (!long.TryParse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Error(start, $"expected an integer, found '{Truncate(text[start..Math.Max(_pos, start + 1)])}'");
            if (Peek() is 'L' or 'l') _pos++; // Python 2 long suffix, as NumPy's own reader accepts
            if (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '.')
                throw Error(_pos, $"expected an integer, found {Found()}");
            return value;
        }

        private object? ParseSequence()
        {
            int start = _pos;
            char open = text[_pos++];
            char close = open == '(' ? ')' : ']';
            var items = new List<object?>();
            bool trailingComma = false;
            while (true)
            {
                SkipSpace();
                if (Peek() == close) { _pos++; break; }
                items.Add(ParseValue());
                SkipSpace();
                if (Peek() == ',') { _pos++; trailingComma = true; continue; }
                trailingComma = false;
                if (Peek() == close) { _pos++; break; }
                throw Error(_pos, $"expected ',' or '{close}' in the {(open == '(' ? "tuple" : "list")}, found {Found()}");
            }
            if (open == '[') return items;
            // In Python "(165)" is the integer 165, not a tuple: "(165,)" is.
            if (items.Count == 1 && !trailingComma) return items[0];
            return new PyTuple(items);
        }

        private void Expect(char c, string what)
        {
            if (Peek() != c) throw Error(_pos, $"expected {what}, found {Found()}");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v') _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private string Found() => _pos >= text.Length
            ? "the end of the header"
            : $"'{Truncate(OneLine(text.Substring(_pos, Math.Min(20, text.Length - _pos))))}'";
    }

    private static string PyRepr(object? value) => value switch
    {
        null => "None",
        true => "True",
        false => "False",
        string s => $"'{OneLine(s)}'",
        long l => l.ToString(CultureInfo.InvariantCulture),
        PyTuple t => t.Items.Count == 1 ? $"({PyRepr(t.Items[0])},)" : $"({string.Join(", ", t.Items.Select(PyRepr))})",
        List<object?> list => $"[{string.Join(", ", list.Select(PyRepr))}]",
        _ => value.ToString() ?? "",
    };

    private static string OneLine(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";

    /// <summary>The shape as Python's repr of a tuple: <c>()</c>, <c>(5,)</c>, <c>(2, 3)</c>.</summary>
    private static string ShapeRepr(long[] shape) => shape.Length == 1
        ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
        : $"({string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";

    // ---------------------------------------------------------------- writing

    /// <summary>Writes float32 data (flat, C order) with the given shape as a version 1.0 <c>.npy</c> file.</summary>
    /// <exception cref="ArgumentException">The shape has a negative dimension or does not match the data length.</exception>
    /// <exception cref="TinierHarException">The file cannot be written; the message names it.</exception>
    public static void Write(string path, float[] data, long[] shape) => WriteCore<float>(path, Float32, data, shape);

    /// <summary>Writes float64 data (flat, C order) with the given shape as a version 1.0 <c>.npy</c> file.</summary>
    /// <inheritdoc cref="Write(string, float[], long[])" path="/exception"/>
    public static void Write(string path, double[] data, long[] shape) => WriteCore<double>(path, Float64, data, shape);

    /// <summary>Writes int64 data (flat, C order) with the given shape as a version 1.0 <c>.npy</c> file.</summary>
    /// <inheritdoc cref="Write(string, float[], long[])" path="/exception"/>
    public static void Write(string path, long[] data, long[] shape) => WriteCore<long>(path, Int64, data, shape);

    /// <summary>Writes an <see cref="NpyArray"/> (its <see cref="NpyArray.DType"/> must match the element type of its data).</summary>
    /// <inheritdoc cref="Write(string, float[], long[])" path="/exception"/>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        switch (array.DType, array.Data)
        {
            case (Float32, float[] f): Write(path, f, array.Shape); break;
            case (Float64, double[] d): Write(path, d, array.Shape); break;
            case (Int64, long[] l): Write(path, l, array.Shape); break;
            default:
                throw new ArgumentException(
                    $"NpyArray of dtype '{array.DType}' holds {array.Data?.GetType().Name ?? "null"}; expected '<f4' with float[], '<f8' with double[] or '<i8' with long[]",
                    nameof(array));
        }
    }

    /// <summary>
    /// Writes a float32, float64 or int64 tensor (any device, any strides; written in C order with its
    /// shape) as a version 1.0 <c>.npy</c> file. The tensor is not modified or disposed.
    /// </summary>
    /// <exception cref="TinierHarException">The tensor's dtype is not supported, or the file cannot be
    /// written; the message names the file.</exception>
    public static void WriteTensor(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        var descr = tensor.dtype switch
        {
            ScalarType.Float32 => Float32,
            ScalarType.Float64 => Float64,
            ScalarType.Int64 => Int64,
            var other => throw new TinierHarException(
                $"{path}: cannot write a tensor of dtype {other} to .npy; supported: float32, float64, int64"),
        };
        using var detached = tensor.detach();
        using var onCpu = detached.cpu();
        using var contiguous = onCpu.contiguous();
        long[] shape = contiguous.shape;
        switch (descr)
        {
            case Float32: WriteCore(path, descr, contiguous.data<float>().ToArray(), shape); break;
            case Float64: WriteCore(path, descr, contiguous.data<double>().ToArray(), shape); break;
            default: WriteCore(path, descr, contiguous.data<long>().ToArray(), shape); break;
        }
    }

    private static void WriteCore<T>(string path, string descr, T[] data, long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException(".npy writing is implemented for little-endian machines only");
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
                throw new ArgumentException($"shape {ShapeRepr(shape)} has a negative dimension", nameof(shape));
            if (!TryMultiply(count, dim, out count))
                throw new ArgumentException($"shape {ShapeRepr(shape)} has too many elements", nameof(shape));
        }
        if (count != data.LongLength)
            throw new ArgumentException(
                $"shape {ShapeRepr(shape)} needs {count} elements but the data has {data.LongLength}", nameof(data));

        byte[] header = BuildHeader(descr, shape);
        WriteAtomically(path, stream =>
        {
            stream.Write(header);
            int chunk = int.MaxValue / Unsafe.SizeOf<T>();
            for (int start = 0; start < data.Length; start += chunk)
                stream.Write(MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(chunk, data.Length - start))));
        });
    }

    /// <summary>The magic, version 1.0, header length and header dictionary, exactly as NumPy writes them.</summary>
    internal static byte[] BuildHeader(string descr, long[] shape)
    {
        // NumPy: keys sorted, each "'key': repr(value), ", then spare spaces so the first axis can grow
        // in place, then spaces to align magic + length + header + '\n' to 64 bytes.
        var dict = new StringBuilder()
            .Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': ")
            .Append(ShapeRepr(shape)).Append(", }");
        if (shape.Length > 0)
            dict.Append(' ', GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        int headerLength = dict.Length + 1; // + '\n'
        int padding = ArrayAlign - (Magic.Length + 2 + 2 + headerLength) % ArrayAlign;
        headerLength += padding;
        if (headerLength > ushort.MaxValue)
            throw new ArgumentException($"shape {ShapeRepr(shape)} makes a header too long for .npy version 1.0", nameof(shape));
        dict.Append(' ', padding).Append('\n');

        var bytes = new byte[Magic.Length + 4 + headerLength];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 2), (ushort)headerLength);
        Encoding.Latin1.GetBytes(dict.ToString(), bytes.AsSpan(10));
        return bytes;
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then moves it over the target.</summary>
    private static void WriteAtomically(string path, Action<FileStream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tinierhar-tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new TinierHarException($"{path}: cannot write the .npy file: the folder {folder} does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TinierHarException($"{path}: cannot write the .npy file: {OneLine(e.Message)}", e);
        }
        catch (IOException e)
        {
            throw new TinierHarException($"{path}: cannot write the .npy file: {OneLine(e.Message)}", e);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { /* best effort: the original error matters more */ }
            catch (UnauthorizedAccessException) { }
        }
    }
}
