using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("TinierHar.Tests")]

namespace TinierHar.Data.Loaders;

/// <summary>How the fields of a text line are separated.</summary>
/// <remarks><see cref="Whitespace"/> splits on runs of spaces and tabs and ignores leading/trailing blanks (like
/// pandas <c>sep='\s+'</c> / <c>np.loadtxt</c>); a character separator keeps empty fields (like <c>sep=','</c>),
/// which parse as missing values.</remarks>
internal readonly record struct Separator(byte Char)
{
    public static Separator Whitespace => new(0);
    public static Separator Comma => new((byte)',');
    public static Separator Tab => new((byte)'\t');
    public bool IsWhitespace => Char == 0;

    public string Describe() => Char switch
    {
        0 => "whitespace-separated",
        (byte)',' => "comma-separated",
        (byte)'\t' => "tab-separated",
        _ => $"'{(char)Char}'-separated",
    };
}

/// <summary>
/// A whole text file in memory, read line by line as UTF-8 bytes (no per-line string allocation). Skips a UTF-8
/// BOM, accepts LF, CRLF and CR line ends, and counts 1-based line numbers for error messages.
/// </summary>
internal sealed class TextFile
{
    private readonly byte[] _bytes;
    private int _pos;

    private TextFile(string path, byte[] bytes)
    {
        Path = path;
        _bytes = bytes;
        _pos = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
    }

    /// <summary>The name used in error messages (a file path, or "zip!entry").</summary>
    public string Path { get; }

    /// <summary>1-based number of the line last returned by <see cref="NextLine"/>.</summary>
    public int LineNumber { get; private set; }

    public static TextFile Read(string path)
    {
        try
        {
            return new TextFile(path, File.ReadAllBytes(path));
        }
        catch (FileNotFoundException e)
        {
            throw new TinierHarException($"{path}: file not found", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new TinierHarException($"{path}: file not found (its folder does not exist)", e);
        }
        catch (IOException e)
        {
            throw new TinierHarException($"{path}: cannot read the file: {e.Message}", e);
        }
    }

    public static TextFile FromBytes(string name, byte[] bytes) => new(name, bytes);

    /// <summary>Returns the next line without its line end; false at the end of the file.</summary>
    public bool NextLine(out ReadOnlySpan<byte> line)
    {
        if (_pos >= _bytes.Length)
        {
            line = default;
            return false;
        }
        var rest = _bytes.AsSpan(_pos);
        int end = rest.IndexOfAny((byte)'\n', (byte)'\r');
        LineNumber++;
        if (end < 0)
        {
            line = rest;
            _pos = _bytes.Length;
            return true;
        }
        line = rest[..end];
        _pos += end + (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1);
        return true;
    }

    /// <summary>Like <see cref="NextLine"/> but skips lines that are empty or only blanks (pandas and
    /// <c>np.loadtxt</c> skip them too).</summary>
    public bool NextDataLine(out ReadOnlySpan<byte> line)
    {
        while (NextLine(out line))
            if (!TextFields.IsBlank(line))
                return true;
        return false;
    }

    /// <summary>Counts the non-blank lines left (used to size buffers before parsing).</summary>
    public int CountDataLines()
    {
        int n = 0;
        var rest = _bytes.AsSpan(_pos);
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny((byte)'\n', (byte)'\r');
            var line = end < 0 ? rest : rest[..end];
            if (!TextFields.IsBlank(line)) n++;
            if (end < 0) break;
            rest = rest[(end + 1)..];
        }
        return n;
    }

    /// <summary>"path, line N" for error messages.</summary>
    public string Where => $"{Path}, line {LineNumber}";

    /// <summary>An input error at the current line.</summary>
    public TinierHarException Error(string what) => new($"{Where}: {what}");
}

/// <summary>Splitting lines into fields and parsing fields as numbers, with file/line/column errors.</summary>
internal static class TextFields
{
    public static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
            if (b != ' ' && b != '\t')
                return false;
        return true;
    }

    /// <summary>
    /// Splits <paramref name="line"/> into fields, storing at most <c>ranges.Length</c> of them. Returns the total
    /// number of fields, which may exceed <c>ranges.Length</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Split(ReadOnlySpan<byte> line, Separator sep, Span<Range> ranges)
    {
        int count = 0;
        if (sep.IsWhitespace)
        {
            int i = 0;
            while (true)
            {
                while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
                if (i >= line.Length) return count;
                int start = i;
                while (i < line.Length && line[i] != ' ' && line[i] != '\t') i++;
                if (count < ranges.Length) ranges[count] = new Range(start, i);
                count++;
            }
        }
        int s = 0;
        while (true)
        {
            int k = line[s..].IndexOf(sep.Char);
            int e = k < 0 ? line.Length : s + k;
            if (count < ranges.Length) ranges[count] = new Range(s, e);
            count++;
            if (k < 0) return count;
            s = e + 1;
        }
    }

    /// <summary>
    /// Parses one field as a double. Empty fields and the usual missing-value spellings (NaN, nan, NA, N/A, null,
    /// NULL: pandas' default <c>na_values</c> that occur in HAR files) give NaN. Returns false for anything else
    /// that is not a number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseNumber(ReadOnlySpan<byte> field, out double value)
    {
        if (FastDouble.TryParse(field, out value)) return true;
        field = field.Trim((byte)' ').Trim((byte)'\t').Trim((byte)'"');
        if (field.IsEmpty || IsMissingToken(field))
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsMissingToken(ReadOnlySpan<byte> f) =>
        Ascii.EqualsIgnoreCase(f, "nan"u8) || Ascii.EqualsIgnoreCase(f, "-nan"u8) || Ascii.EqualsIgnoreCase(f, "na"u8)
        || Ascii.EqualsIgnoreCase(f, "n/a"u8) || Ascii.EqualsIgnoreCase(f, "null"u8);

    /// <summary>Parses field <paramref name="column"/> (0-based) of the current line of <paramref name="file"/>.</summary>
    public static double ParseNumber(TextFile file, ReadOnlySpan<byte> field, int column)
    {
        if (!TryParseNumber(field, out double v))
            throw file.Error($"column {column + 1}: expected a number, found '{Show(field)}'");
        return v;
    }

    /// <summary>Parses an integer field (a subject id, a label id, an index).</summary>
    public static int ParseInt(TextFile file, ReadOnlySpan<byte> field, int column)
    {
        field = field.Trim((byte)' ').Trim((byte)'\t');
        if (int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            return v;
        // Integer ids written as floats ("5.0000000e+00", as in some UCI files).
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
            return (int)d;
        throw file.Error($"column {column + 1}: expected an integer, found '{Show(field)}'");
    }

    /// <summary>
    /// Splits the line and parses exactly <c>values.Length</c> numeric fields into <paramref name="values"/>;
    /// throws naming file, line and column when the count differs or a field is not a number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ParseNumbers(TextFile file, ReadOnlySpan<byte> line, Separator sep, Span<double> values)
    {
        Span<Range> ranges = values.Length <= 512 ? stackalloc Range[values.Length + 1] : new Range[values.Length + 1];
        int n = Split(line, sep, ranges);
        if (n != values.Length)
            throw file.Error($"expected {values.Length} {sep.Describe()} values, found {n}");
        for (int i = 0; i < values.Length; i++)
            values[i] = ParseNumber(file, line[ranges[i]], i);
    }

    /// <summary>All fields of a line as trimmed strings (for header rows).</summary>
    public static List<string> SplitToStrings(ReadOnlySpan<byte> line, Separator sep)
    {
        var ranges = new Range[Split(line, sep, [])];
        Split(line, sep, ranges);
        var list = new List<string>(ranges.Length);
        foreach (var r in ranges) list.Add(Text(line[r]));
        return list;
    }

    /// <summary>A field as text for an error message (shortened).</summary>
    public static string Show(ReadOnlySpan<byte> field)
    {
        var s = Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);
        return field.Length > 40 ? s + "..." : s;
    }

    public static string Text(ReadOnlySpan<byte> field) =>
        Encoding.UTF8.GetString(field.Trim((byte)' ').Trim((byte)'\t').Trim((byte)'"'));
}

/// <summary>A growable row-major buffer of double samples with per-row raw labels.</summary>
internal sealed class SampleBuffer(int channels, int capacityRows = 1024)
{
    private double[] _values = new double[Math.Max(1, capacityRows) * channels];
    private int[] _labels = new int[Math.Max(1, capacityRows)];

    public int Channels { get; } = channels;
    public int Rows { get; private set; }

    /// <summary>Appends a row and returns its channel values to fill in.</summary>
    public Span<double> AddRow(int label)
    {
        if (Rows == _labels.Length)
        {
            int cap = _labels.Length * 2;
            Array.Resize(ref _labels, cap);
            Array.Resize(ref _values, cap * Channels);
        }
        _labels[Rows] = label;
        var row = _values.AsSpan(Rows * Channels, Channels);
        Rows++;
        return row;
    }

    public Span<double> Values => _values.AsSpan(0, Rows * Channels);
    public Span<int> Labels => _labels.AsSpan(0, Rows);

    public Span<double> Row(int r) => _values.AsSpan(r * Channels, Channels);

    /// <summary>Removes the last row (used when a parsed row turns out to be dropped).</summary>
    public void RemoveLastRow() => Rows--;

    public Recording ToRecording(int subject, string block) =>
        Samples.ToRecording(subject, block, Values, Channels, Labels);
}

/// <summary>Shared sample-array operations: NaN handling, row selection, conversion to <see cref="Recording"/>.</summary>
internal static class Samples
{
    /// <summary>Converts double samples (the reference computes in float64) to a float32 recording.</summary>
    public static Recording ToRecording(int subject, string block, ReadOnlySpan<double> values, int channels,
        ReadOnlySpan<int> labels)
    {
        if (values.Length != labels.Length * channels)
            throw new ArgumentException($"{block}: {values.Length} values for {labels.Length} rows x {channels} channels");
        var samples = new float[values.Length];
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)values[i];
        return new Recording(subject, block, samples, channels, labels.ToArray());
    }

    /// <summary>
    /// pandas <c>DataFrame.interpolate(method='linear', limit_direction='both')</c>, column by column: NaN between
    /// two values is linearly interpolated by row position (<c>np.interp</c>), leading NaN take the first value and
    /// trailing NaN the last. A column without any value stays NaN, as in pandas.
    /// </summary>
    public static void InterpolateNaNBothDirections(Span<double> values, int rows, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            int prev = -1; // last row with a value
            for (int r = 0; r < rows; r++)
            {
                double v = values[r * channels + c];
                if (double.IsNaN(v)) continue;
                if (r - prev > 1)
                {
                    if (prev < 0)
                    {
                        for (int k = 0; k < r; k++) values[k * channels + c] = v;
                    }
                    else
                    {
                        double y0 = values[prev * channels + c];
                        double slope = (v - y0) / (r - prev);
                        for (int k = prev + 1; k < r; k++) values[k * channels + c] = slope * (k - prev) + y0;
                    }
                }
                prev = r;
            }
            if (prev >= 0)
            {
                double last = values[prev * channels + c];
                for (int k = prev + 1; k < rows; k++) values[k * channels + c] = last;
            }
        }
    }

    public static bool RowHasNaN(ReadOnlySpan<double> row)
    {
        foreach (double v in row)
            if (double.IsNaN(v))
                return true;
        return false;
    }

    public static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (float.IsNaN(v))
                return true;
        return false;
    }

    /// <summary>Keeps rows <c>offset, offset+step, ...</c> (pandas <c>iloc[offset::step]</c>).</summary>
    public static Recording EveryNthRow(Recording rec, int step, int offset)
    {
        int c = rec.Channels;
        int n = rec.Length <= offset ? 0 : (rec.Length - offset + step - 1) / step;
        var samples = new float[n * c];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = offset + i * step;
            Array.Copy(rec.Samples, r * c, samples, i * c, c);
            labels[i] = rec.Labels[r];
        }
        return rec with { Samples = samples, Labels = labels };
    }
}

/// <summary>Locating the dataset's files below the root folder the user gave.</summary>
internal static class DatasetPaths
{
    /// <summary>
    /// The first existing folder among <c>root/candidate</c> (the candidates are the archive's own inner folders,
    /// "." is the root itself). Throws naming the root and what was expected.
    /// </summary>
    public static string FindDirectory(string root, string dataset, params string[] candidates)
    {
        if (!Directory.Exists(root))
            throw new TinierHarException($"{root}: {dataset} dataset folder not found");
        foreach (var c in candidates)
        {
            var p = c == "." ? root : Path.Combine(root, c);
            if (Directory.Exists(p)) return p;
        }
        throw new TinierHarException(
            $"{root}: no {dataset} data folder found; expected {string.Join(" or ", candidates.Select(c => c == "." ? "the files directly" : $"'{c}/'"))} inside it, as the official archive unpacks");
    }

    /// <summary>The first existing file among <c>root/candidate</c>.</summary>
    public static string FindFile(string root, string dataset, params string[] candidates)
    {
        if (!Directory.Exists(root))
            throw new TinierHarException($"{root}: {dataset} dataset folder not found");
        foreach (var c in candidates)
        {
            var p = Path.Combine(root, c);
            if (File.Exists(p)) return p;
        }
        throw new TinierHarException(
            $"{root}: {dataset} file not found; expected {string.Join(" or ", candidates.Select(c => $"'{c}'"))} inside it");
    }

    /// <summary>Throws when a loader found nothing to load.</summary>
    public static void RequireAny<T>(IReadOnlyCollection<T> found, string where, string what)
    {
        if (found.Count == 0)
            throw new TinierHarException($"{where}: no {what} found");
    }
}

/// <summary>Runs per-file work on all cores while keeping the files' order in the result.</summary>
internal static class OrderedParallel
{
    public static TResult[] Map<T, TResult>(IReadOnlyList<T> items, Func<T, TResult> work,
        IProgress<string>? progress = null, string? what = null)
    {
        var results = new TResult[items.Count];
        var errors = new Exception?[items.Count];
        int done = 0;
        int reportEvery = Math.Max(1, items.Count / 10);
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                results[i] = work(items[i]);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
            int d = Interlocked.Increment(ref done);
            if (progress != null && what != null && (d % reportEvery == 0 || d == items.Count))
                progress.Report($"{what}: {d}/{items.Count} files");
        });
        foreach (var e in errors)
            if (e != null)
                ExceptionDispatchInfo.Capture(e).Throw(); // the first failing file in order, as a serial loop would
        return results;
    }
}

/// <summary>
/// Reading a numeric table file (a fixed number of columns): selects channel columns and an integer label column,
/// optionally interpolating NaN per file. Only the selected columns are parsed (the others are only counted), as the
/// reference's pandas reader never fails on a column it then drops.
/// </summary>
internal static class NumericTable
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Recording Read(string path, Separator sep, int totalColumns, int[] channelColumns, int labelColumn,
        bool interpolateNaN, int subject, string block)
    {
        var file = TextFile.Read(path);
        var buf = new SampleBuffer(channelColumns.Length, file.CountDataLines());
        var ranges = new Range[totalColumns + 1];
        while (file.NextDataLine(out var line))
        {
            int n = TextFields.Split(line, sep, ranges);
            if (n != totalColumns)
                throw file.Error($"expected {totalColumns} {sep.Describe()} values, found {n}");
            double label = TextFields.ParseNumber(file, line[ranges[labelColumn]], labelColumn);
            if (double.IsNaN(label) || label != Math.Floor(label) || Math.Abs(label) > int.MaxValue)
                throw file.Error($"column {labelColumn + 1}: expected an integer label, found '{TextFields.Show(line[ranges[labelColumn]])}'");
            var dst = buf.AddRow((int)label);
            for (int c = 0; c < channelColumns.Length; c++)
                dst[c] = TextFields.ParseNumber(file, line[ranges[channelColumns[c]]], channelColumns[c]);
        }
        if (interpolateNaN)
            Samples.InterpolateNaNBothDirections(buf.Values, buf.Rows, buf.Channels);
        return buf.ToRecording(subject, block);
    }
}

/// <summary>
/// Exact fast path for plain decimal numbers (Clinger): when the digits form an integer m ≤ 2^53 and the decimal
/// exponent e satisfies |e| ≤ 22, m·10^e (or m / 10^-e) is one correctly rounded IEEE operation on exact operands,
/// so the result equals <see cref="double.Parse(string)"/>'s. Anything else returns false for the general parser.
/// </summary>
internal static class FastDouble
{
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0, n = s.Length;
        if (n == 0) return false;
        bool negative = false;
        if (s[0] == '-' || s[0] == '+')
        {
            negative = s[0] == '-';
            i = 1;
        }
        ulong mantissa = 0;
        int digits = 0, exp10 = 0;
        bool any = false;
        for (; i < n; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) break;
            any = true;
            if (mantissa == 0 && d == 0) continue; // leading zeros do not count as digits
            if (++digits > 19) return false;
            mantissa = mantissa * 10 + d;
        }
        if (i < n && s[i] == '.')
        {
            for (i++; i < n; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9) break;
                any = true;
                exp10--;
                if (mantissa == 0 && d == 0) continue;
                if (++digits > 19) return false;
                mantissa = mantissa * 10 + d;
            }
        }
        if (!any) return false;
        if (i < n && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            bool expNegative = false;
            if (i < n && (s[i] == '-' || s[i] == '+'))
            {
                expNegative = s[i] == '-';
                i++;
            }
            int e = 0, expDigits = 0;
            for (; i < n; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9) break;
                if (++expDigits > 4) return false;
                e = e * 10 + (int)d;
            }
            if (expDigits == 0) return false;
            exp10 += expNegative ? -e : e;
        }
        if (i != n || mantissa > (1UL << 53)) return false;
        double m = mantissa;
        if (mantissa == 0) value = 0;
        else if (exp10 == 0) value = m;
        else if (exp10 > 0 && exp10 <= 22) value = m * Pow10[exp10];
        else if (exp10 < 0 && exp10 >= -22) value = m / Pow10[-exp10];
        else return false;
        if (negative) value = -value;
        return true;
    }
}
