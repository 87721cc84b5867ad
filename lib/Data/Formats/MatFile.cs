using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace TinierHar.Data.Formats;

/// <summary>One variable of a MAT-file: a <see cref="MatMatrix"/>, a <see cref="MatString"/> or a <see cref="MatUnsupported"/>.</summary>
public abstract record MatValue(string Name);

/// <summary>
/// A real numeric 2-D array converted to double. <see cref="Data"/> is row-major (MATLAB stores column-major;
/// the reader transposes), so element (r, c) is <c>Data[r * Cols + c]</c>. <see cref="ClassName"/> is the MATLAB
/// class ("double", "single", "int8" … "uint64", "logical"), not the type the values happened to be stored as.
/// </summary>
public sealed record MatMatrix(string Name, int Rows, int Cols, double[] Data, string ClassName) : MatValue(Name)
{
    public double this[int row, int col] => Data[row * Cols + col];
}

/// <summary>A char array. A 1×N (or empty) array is the plain string; the rows of an M×N array (M &gt; 1) are joined by '\n'.</summary>
public sealed record MatString(string Name, string Value) : MatValue(Name);

/// <summary>A variable this reader does not decode (cell, struct, object, sparse, complex, N-d, …); <see cref="Reason"/> says which.</summary>
public sealed record MatUnsupported(string Name, string ClassName, string Reason) : MatValue(Name);

/// <summary>
/// Reads MATLAB Level 5 MAT-files ("MATLAB 5.0 MAT-file", as written by MATLAB 5 to 7.x with -v6/-v7), little-endian only.
/// <para>Implemented: the 128-byte header; top-level miMATRIX elements, uncompressed or inside miCOMPRESSED (zlib) elements
/// (the zlib checksum of every element decoded is verified); the small data element format (type and size packed in a 4-byte tag, size ≤ 4);
/// real numeric classes double, single, int8…uint64 and logical, 2-D, whose data may be stored as any numeric data type
/// (MATLAB stores e.g. a double array whose values fit in uint8 as miUINT8): all converted to double and transposed to
/// row-major; char arrays stored as miUINT16/miUTF16, miUTF8, miUTF32 or miUINT8/miINT8.</para>
/// <para>Not implemented (returned as <see cref="MatUnsupported"/>, never an error unless asked for by a getter):
/// cell arrays, structs, objects, sparse matrices, function handles, complex numbers, arrays with more than 2 dimensions.
/// Not supported at all (an error): big-endian files, Level 4 files and MATLAB 7.3 (HDF5) files.</para>
/// <para>Every problem with the input is a <see cref="TinierHarException"/> naming the file, the byte offset and what was expected.</para>
/// </summary>
public sealed class MatFile
{
    const int HeaderSize = 128;
    const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7,
        MiDouble = 9, MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15, MiUtf8 = 16, MiUtf16 = 17, MiUtf32 = 18;

    static readonly string[] ClassNames =
    [
        "class 0", "cell", "struct", "object", "char", "sparse", "double", "single",
        "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "function_handle", "opaque",
    ];

    readonly IReadOnlyList<string> allNames;
    readonly string[] only;

    MatFile(string path, string headerText, OrderedDictionary<string, MatValue> variables, List<string> allNames, string[] only)
    {
        Path = path;
        HeaderText = headerText;
        Variables = variables;
        this.allNames = allNames;
        this.only = only;
    }

    /// <summary>The path the file was read from (as given).</summary>
    public string Path { get; }

    /// <summary>The descriptive text of the header, e.g. "MATLAB 5.0 MAT-file, Platform: PCWIN, Created on: …", trailing blanks removed.</summary>
    public string HeaderText { get; }

    /// <summary>The variables read, in file order (with <c>only</c>, just those asked for that the file has).</summary>
    public IReadOnlyDictionary<string, MatValue> Variables { get; }

    /// <summary>Reads every variable of the file.</summary>
    public static MatFile Read(string path) => Read(path, []);

    /// <summary>
    /// Reads only the variables named in <paramref name="only"/> (all of them if it is empty); the others are not decoded
    /// and, when compressed, only the first bytes of their stream are decompressed to learn their name.
    /// A name the file lacks is not an error here: <see cref="GetMatrix"/> and <see cref="GetString"/> report it.
    /// </summary>
    public static MatFile Read(string path, params string[] only)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TinierHarException($"{path}: cannot read the MAT-file: {e.Message}", e);
        }
        return Parse(bytes, path, only);
    }

    /// <summary>The numeric matrix <paramref name="name"/>; a TinierHarException if it is missing, not numeric, or unsupported.</summary>
    public MatMatrix GetMatrix(string name) => Get(name) switch
    {
        MatMatrix m => m,
        MatString => throw new TinierHarException($"{Path}: variable '{name}' is a char array, expected a numeric matrix"),
        MatUnsupported u => throw new TinierHarException($"{Path}: variable '{name}' is {u.Reason}, expected a real 2-D numeric matrix (which MatFile reads)"),
        var v => throw new TinierHarException($"{Path}: variable '{name}' is a {v.GetType().Name}, expected a numeric matrix"),
    };

    /// <summary>The char array <paramref name="name"/> as a string; a TinierHarException if it is missing or not a char array.</summary>
    public string GetString(string name) => Get(name) switch
    {
        MatString s => s.Value,
        MatMatrix m => throw new TinierHarException($"{Path}: variable '{name}' is a {m.Rows}x{m.Cols} {m.ClassName} matrix, expected a char array"),
        MatUnsupported u => throw new TinierHarException($"{Path}: variable '{name}' is {u.Reason}, expected a char array"),
        var v => throw new TinierHarException($"{Path}: variable '{name}' is a {v.GetType().Name}, expected a char array"),
    };

    MatValue Get(string name)
    {
        if (Variables.TryGetValue(name, out var v)) return v;
        if (allNames.Contains(name))
            throw new TinierHarException($"{Path}: variable '{name}' was not read: MatFile.Read was asked for only: {string.Join(", ", only)}");
        var has = allNames.Count == 0 ? "(no variables)" : string.Join(", ", allNames);
        throw new TinierHarException($"{Path}: variable '{name}' not found; the file has: {has}");
    }

    // ---------------------------------------------------------------- parsing

    /// <summary>Where a byte span sits, for error messages: in the file itself, or inside the compressed element at <see cref="ElementOffset"/>.</summary>
    readonly record struct Where(string File, long ElementOffset, bool Compressed)
    {
        public TinierHarException Error(long pos, string expected, Exception? inner = null) => Compressed
            ? new($"{File}: truncated or corrupt at byte {ElementOffset}: expected {expected} (at byte {pos} of the data decompressed from the compressed element at byte {ElementOffset})", inner)
            : new($"{File}: truncated or corrupt at byte {pos}: expected {expected}", inner);
    }

    static MatFile Parse(byte[] bytes, string path, string[] only)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("MatFile reads MAT-files on little-endian machines only");
        var headerText = CheckHeader(bytes, path);
        var variables = new OrderedDictionary<string, MatValue>(StringComparer.Ordinal);
        var allNames = new List<string>();
        var wanted = only.Length == 0 ? null : new HashSet<string>(only, StringComparer.Ordinal);
        var file = new Where(path, 0, false);

        long pos = HeaderSize;
        while (pos < bytes.Length)
        {
            long tagAt = pos;
            if (bytes.Length - pos < 8)
                throw file.Error(bytes.Length, $"an 8-byte data element tag at byte {tagAt}, found only {bytes.Length - pos} bytes before the end of the file");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)pos));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)pos + 4));
            if ((type >> 16) != 0)
                throw file.Error(tagAt, $"a top-level data element tag (miMATRIX or miCOMPRESSED), found a small data element tag 0x{type:X8}");
            long dataAt = pos + 8;
            if (size > bytes.Length - dataAt)
                throw file.Error(bytes.Length, $"{size} bytes of data for the element (type {type}) at byte {tagAt}, the file ends after {bytes.Length - dataAt}");
            pos = dataAt + size;
            switch (type)
            {
                case MiCompressed:
                    ReadCompressed(bytes, (int)tagAt, (int)size, path, wanted, variables, allNames);
                    break;
                case MiMatrix:
                    pos += Pad8(size);
                    if (size == 0) break;
                    var content = new Cursor(bytes, (int)dataAt, (int)size, file);
                    AddVariable(content, wanted, variables, allNames);
                    break;
                default:
                    pos += Pad8(size); // other top-level element types carry no variable: skip
                    break;
            }
            pos = Math.Min(pos, bytes.Length); // the padding of the last element may be missing
        }
        return new MatFile(path, headerText, variables, allNames, only);
    }

    static string CheckHeader(byte[] bytes, string path)
    {
        const string magic = "MATLAB 5.0 MAT-file";
        var start = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, magic.Length));
        if (start.StartsWith("MATLAB 7.3", StringComparison.Ordinal))
            throw new TinierHarException($"{path}: unsupported MAT-file at byte 0: expected a Level 5 header \"{magic}\", found a MATLAB 7.3 (HDF5) file; save it with -v7 or -v6");
        if (!magic.StartsWith(start, StringComparison.Ordinal))
            throw new TinierHarException($"{path}: not a MAT-file at byte 0: expected the header text \"{magic}\", found \"{Printable(start)}\"");
        if (bytes.Length < HeaderSize)
            throw new TinierHarException($"{path}: truncated or corrupt at byte {bytes.Length}: expected a {HeaderSize}-byte MAT-file header");
        if (bytes[126] == 'M' && bytes[127] == 'I')
            throw new TinierHarException($"{path}: unsupported MAT-file at byte 126: expected the little-endian indicator \"IM\", found \"MI\" (big-endian files are not supported)");
        if (bytes[126] != 'I' || bytes[127] != 'M')
            throw new TinierHarException($"{path}: not a MAT-file at byte 126: expected the endian indicator \"IM\", found 0x{bytes[126]:X2} 0x{bytes[127]:X2}");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(124));
        if (version != 0x0100)
            throw new TinierHarException($"{path}: unsupported MAT-file at byte 124: expected version 0x0100, found 0x{version:X4}");
        return Encoding.ASCII.GetString(bytes, 0, 116).TrimEnd(' ', '\0');
    }

    static string Printable(string s) => new(s.Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());

    static void ReadCompressed(byte[] bytes, int tagAt, int size, string path,
        HashSet<string>? wanted, OrderedDictionary<string, MatValue> variables, List<string> allNames)
    {
        var where = new Where(path, tagAt, true);
        long maxOut = size * 1032L + 64; // deflate cannot expand more than about 1032:1
        using var zin = new ZLibStream(new MemoryStream(bytes, tagAt + 8, size, writable: false), CompressionMode.Decompress);
        try
        {
            var tag = new byte[8];
            int got = zin.ReadAtLeast(tag, 8, throwOnEndOfStream: false);
            if (got < 8) throw where.Error(got, $"an 8-byte miMATRIX tag, the stream ends after {got} bytes");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(tag);
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(tag.AsSpan(4));
            if (type != MiMatrix)
                throw where.Error(0, $"a miMATRIX element (type 14) inside the compressed element, found type {type}");
            if (n > maxOut || n > Array.MaxLength)
                throw where.Error(4, $"a plausible miMATRIX size, found {n} bytes from a {size}-byte compressed element");
            if (n == 0) return;

            if (wanted != null)
            {
                // Decompress just enough to learn the name; skip the rest of the stream if not wanted.
                var head = new byte[Math.Min((int)n, 512)];
                got = zin.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                string? name = TryReadName(head.AsSpan(0, got));
                if (name != null && got == head.Length && !wanted.Contains(name))
                {
                    if (!allNames.Contains(name)) allNames.Add(name);
                    return;
                }
                var full = new byte[n];
                head.AsSpan(0, got).CopyTo(full);
                int rest = got == head.Length ? zin.ReadAtLeast(full.AsSpan(got), full.Length - got, throwOnEndOfStream: false) : 0;
                Finish(zin, where, full, got + rest, wanted, variables, allNames);
            }
            else
            {
                var full = new byte[n];
                got = zin.ReadAtLeast(full, full.Length, throwOnEndOfStream: false);
                Finish(zin, where, full, got, wanted, variables, allNames);
            }
        }
        catch (InvalidDataException e)
        {
            // .NET reports every zlib data error (bad header, bad deflate data, checksum mismatch) with one generic message.
            throw new TinierHarException($"{path}: truncated or corrupt at byte {tagAt}: expected a valid zlib stream in the {size}-byte compressed element there (bad zlib header, deflate data or checksum)", e);
        }
    }

    static void Finish(ZLibStream zin, Where where, byte[] full, int got,
        HashSet<string>? wanted, OrderedDictionary<string, MatValue> variables, List<string> allNames)
    {
        if (got < full.Length)
            throw where.Error(8 + got, $"{full.Length} bytes of miMATRIX data, the compressed stream ends after {got}");
        // Read to the end of the stream so that the zlib checksum is verified (a corrupt stream throws InvalidDataException).
        Span<byte> sink = stackalloc byte[256];
        while (zin.Read(sink) > 0) { }
        AddVariable(new Cursor(full, 0, full.Length, where, 8), wanted, variables, allNames);
    }

    /// <summary>The variable name from the first bytes of miMATRIX content, or null if they are too few or malformed.</summary>
    static string? TryReadName(ReadOnlySpan<byte> content)
    {
        try
        {
            var s = new Cursor(content.ToArray(), 0, content.Length, new Where("", 0, false));
            s.ReadElement(out _); // array flags
            s.ReadElement(out _); // dimensions
            var name = s.ReadElement(out int type);
            return type is MiInt8 or MiUInt8 or MiUtf8 ? Encoding.UTF8.GetString(name) : null;
        }
        catch (TinierHarException)
        {
            return null;
        }
    }

    static void AddVariable(Cursor content, HashSet<string>? wanted, OrderedDictionary<string, MatValue> variables, List<string> allNames)
    {
        var flagsAt = content.Pos;
        var flagsData = content.ReadElement(out int flagsType);
        if (flagsType != MiUInt32 || flagsData.Length < 8)
            throw content.Where.Error(content.Report(flagsAt), $"an array flags sub-element (miUINT32, 8 bytes), found type {flagsType} with {flagsData.Length} bytes");
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(flagsData);
        int cls = (int)(flags & 0xFF);
        bool complex = (flags & 0x800) != 0, logical = (flags & 0x200) != 0;

        var dimsAt = content.Pos;
        var dimsData = content.ReadElement(out int dimsType);
        if (dimsType != MiInt32 || dimsData.Length < 8 || dimsData.Length % 4 != 0)
            throw content.Where.Error(content.Report(dimsAt), $"a dimensions sub-element (miINT32, at least 2 values), found type {dimsType} with {dimsData.Length} bytes");
        var dims = MemoryMarshal.Cast<byte, int>(dimsData).ToArray();
        if (dims.Any(d => d < 0))
            throw content.Where.Error(content.Report(dimsAt), $"non-negative dimensions, found {string.Join("x", dims)}");

        var nameAt = content.Pos;
        var nameData = content.ReadElement(out int nameType);
        if (nameType is not (MiInt8 or MiUInt8 or MiUtf8))
            throw content.Where.Error(content.Report(nameAt), $"an array name sub-element (miINT8), found type {nameType}");
        string name = Encoding.UTF8.GetString(nameData);
        if (name.Length == 0) return; // subsystem data (MATLAB's hidden object store) has no name
        if (!allNames.Contains(name)) allNames.Add(name);
        if (wanted != null && !wanted.Contains(name)) return;

        string className = cls < ClassNames.Length ? ClassNames[cls] : $"class {cls}";
        if (logical) className = "logical";
        string shape = string.Join("x", dims);
        MatValue value;
        if (cls is 1 or 2 or 3 or 5 or 16 or 17 || cls >= ClassNames.Length || cls == 0)
            value = new MatUnsupported(name, className, $"a {shape} {className}{(cls == 1 ? " array" : "")}");
        else if (complex)
            value = new MatUnsupported(name, className, $"a complex {shape} {className} matrix");
        else if (dims.Length > 2)
            value = new MatUnsupported(name, className, $"a {shape} {className} array ({dims.Length}-D)");
        else if (cls == 4)
            value = ReadChar(content, name, dims[0], dims[1]);
        else
            value = ReadNumeric(content, name, dims[0], dims[1], className);
        variables[name] = value;
    }

    static MatString ReadChar(Cursor content, string name, int rows, int cols)
    {
        var at = content.Pos;
        var data = content.ReadElement(out int type);
        string text = type switch
        {
            MiUInt16 or MiUtf16 or MiInt16 when data.Length % 2 == 0 => Encoding.Unicode.GetString(data),
            MiUtf8 => Encoding.UTF8.GetString(data),
            MiUtf32 or MiUInt32 or MiInt32 when data.Length % 4 == 0 => Encoding.UTF32.GetString(data),
            MiUInt8 or MiInt8 => Encoding.Latin1.GetString(data),
            _ => throw content.Where.Error(content.Report(at), $"char data for variable '{name}' (miUINT16 or miUTF8), found type {type} with {data.Length} bytes"),
        };
        if (rows > 1 && (long)rows * cols == text.Length)
        {
            // column-major → one line per row
            var sb = new StringBuilder(text.Length + rows);
            for (int r = 0; r < rows; r++)
            {
                if (r > 0) sb.Append('\n');
                for (int c = 0; c < cols; c++) sb.Append(text[c * rows + r]);
            }
            text = sb.ToString();
        }
        return new MatString(name, text);
    }

    static MatMatrix ReadNumeric(Cursor content, string name, int rows, int cols, string className)
    {
        var at = content.Pos;
        var data = content.ReadElement(out int type);
        long count = (long)rows * cols;
        int width = type switch
        {
            MiInt8 or MiUInt8 => 1,
            MiInt16 or MiUInt16 => 2,
            MiInt32 or MiUInt32 or MiSingle => 4,
            MiDouble or MiInt64 or MiUInt64 => 8,
            _ => 0,
        };
        if (width == 0)
            throw content.Where.Error(content.Report(at), $"numeric data for variable '{name}' (a numeric data type), found type {type}");
        if (data.Length % width != 0 || data.Length / width != count)
            throw content.Where.Error(content.Report(at), $"{count} values ({rows}x{cols}) of {width} bytes for variable '{name}', found {data.Length} bytes");
        var result = new double[count];
        switch (type)
        {
            case MiInt8: Transpose<sbyte>(data, result, rows, cols); break;
            case MiUInt8: Transpose<byte>(data, result, rows, cols); break;
            case MiInt16: Transpose<short>(data, result, rows, cols); break;
            case MiUInt16: Transpose<ushort>(data, result, rows, cols); break;
            case MiInt32: Transpose<int>(data, result, rows, cols); break;
            case MiUInt32: Transpose<uint>(data, result, rows, cols); break;
            case MiSingle: Transpose<float>(data, result, rows, cols); break;
            case MiDouble: Transpose<double>(data, result, rows, cols); break;
            case MiInt64: Transpose<long>(data, result, rows, cols); break;
            case MiUInt64: Transpose<ulong>(data, result, rows, cols); break;
        }
        return new MatMatrix(name, rows, cols, result, className);
    }

    /// <summary>Column-major values of type T → row-major doubles.</summary>
    static void Transpose<T>(ReadOnlySpan<byte> bytes, double[] dst, int rows, int cols) where T : unmanaged, INumberBase<T>
    {
        var src = MemoryMarshal.Cast<byte, T>(bytes);
        for (int c = 0; c < cols; c++)
        {
            var column = src.Slice(c * rows, rows);
            for (int r = 0; r < column.Length; r++)
                dst[r * cols + c] = double.CreateTruncating(column[r]);
        }
    }

    static long Pad8(long size) => (8 - size % 8) % 8;

    /// <summary>A bounds-checked cursor over miMATRIX content.</summary>
    sealed class Cursor
    {
        readonly byte[] bytes;
        readonly int start, end, reportBase;
        readonly Where where;

        public Cursor(byte[] bytes, int start, int length, Where where, int reportBase = 0)
        {
            this.bytes = bytes;
            this.start = start;
            end = start + length;
            this.where = where;
            this.reportBase = reportBase;
            Pos = start;
        }

        public int Pos { get; private set; }
        public Where Where => where;

        /// <summary>A position as reported in messages: the file offset, or the offset in the decompressed stream.</summary>
        public long Report(int pos) => where.Compressed ? pos - start + reportBase : pos;

        /// <summary>Reads one sub-element (normal or small format) and returns its data; skips its padding.</summary>
        public ReadOnlySpan<byte> ReadElement(out int type)
        {
            int tagAt = Pos;
            if (end - Pos < 4)
                throw where.Error(Report(end), $"a data element tag at byte {Report(tagAt)}, found {end - Pos} bytes before the end of the array");
            uint first = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Pos));
            if ((first >> 16) != 0)
            {
                // small data element: 2 bytes type, 2 bytes size, up to 4 bytes of data, all in 8 bytes
                type = (int)(first & 0xFFFF);
                int n = (int)(first >> 16);
                if (n > 4)
                    throw where.Error(Report(tagAt), $"a small data element of at most 4 bytes, found size {n} (type {type})");
                if (end - Pos < 4 + n)
                    throw where.Error(Report(end), $"{n} bytes of small element data at byte {Report(tagAt + 4)}, found {end - Pos - 4}");
                Pos = Math.Min(Pos + 8, end);
                return bytes.AsSpan(tagAt + 4, n);
            }
            if (end - Pos < 8)
                throw where.Error(Report(end), $"an 8-byte data element tag at byte {Report(tagAt)}, found {end - Pos} bytes before the end of the array");
            type = (int)first;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Pos + 4));
            int dataAt = Pos + 8;
            if (size > end - dataAt)
                throw where.Error(Report(end), $"{size} bytes of data for the element (type {type}) at byte {Report(tagAt)}, found {end - dataAt}");
            Pos = (int)Math.Min(dataAt + size + Pad8(size), end);
            return bytes.AsSpan(dataAt, (int)size);
        }
    }
}
