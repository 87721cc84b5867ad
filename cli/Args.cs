namespace TinierHar.Cli;

/// <summary>A user error: printed as one line, exit code 2, never a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Minimal GNU-style option parser: <c>--name value</c>, <c>--name=value</c> and boolean <c>--flag</c>.
/// Every option a command reads is declared by reading it; <see cref="EnsureAllUsed"/> then rejects the rest.
/// </summary>
public sealed class Args
{
    readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    readonly HashSet<string> _used = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Positionals { get; }

    public Args(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var positionals = new List<string>();
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--") { positionals.Add(a); continue; }
            var name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            else if (!flags.Contains(name))
            {
                if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"option --{name} needs a value");
                value = list[++i];
            }
            if (_options.ContainsKey(name)) throw new UsageException($"option --{name} given twice");
            _options[name] = value;
        }
        Positionals = positionals;
    }

    public bool Flag(string name) { _used.Add(name); return _options.ContainsKey(name); }

    public string? Get(string name) { _used.Add(name); return _options.TryGetValue(name, out var v) ? v : null; }

    public string Require(string name) => Get(name) ?? throw new UsageException($"missing required option --{name}");

    public int? GetInt(string name, int min = int.MinValue)
    {
        var s = Get(name);
        if (s is null) return null;
        if (!int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < min)
            throw new UsageException($"option --{name} expects a whole number{(min > int.MinValue ? $" >= {min}" : "")}, got '{s}'");
        return v;
    }

    /// <summary>Rejects options that no one read (typos such as --filter for --filters).</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option --{unknown[0]}");
    }
}
