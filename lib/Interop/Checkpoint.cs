using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TinierHar.Interop;

/// <summary>What a non-strict load did (a strict load throws instead of leaving anything out).</summary>
public sealed record LoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> Mismatched);

/// <summary>
/// PyTorch <c>state_dict</c> checkpoints (<c>torch.save</c> zip format, read with TorchSharp.PyBridge) for any of the
/// models: keys with or without the reference's <c>model.</c> prefix (its <c>model_builder</c> wraps the network),
/// matched by name, strict by default. Saving writes the same format (readable by <c>torch.load</c>), via a
/// temporary file renamed into place.
/// </summary>
public static class Checkpoint
{
    public const string ReferencePrefix = "model.";

    /// <summary>Reads the tensors of a state_dict file, with the <c>model.</c> prefix removed if every key has it.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        if (!File.Exists(path)) throw new TinierHarException($"{path}: checkpoint file not found");
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not TinierHarException)
        {
            throw new TinierHarException($"{path}: not a readable PyTorch state_dict (expected a torch.save zip file): {e.Message}", e);
        }
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
        {
            if (e.Key is not string key || e.Value is not Tensor t)
                throw new TinierHarException($"{path}: entry '{e.Key}' is not a tensor; expected a plain state_dict of tensors");
            dict[key] = t;
        }
        if (dict.Count > 0 && dict.Keys.All(k => k.StartsWith(ReferencePrefix, StringComparison.Ordinal)))
            dict = dict.ToDictionary(kv => kv.Key[ReferencePrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        return dict;
    }

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="model"/> by name. Strict (default): any missing,
    /// unexpected or mis-shaped key is an error naming them all, and nothing is changed.
    /// </summary>
    public static LoadReport Load(nn.Module model, string path, bool strict = true)
    {
        var source = ReadStateDict(path);
        try
        {
            return Load(model, source, strict, path);
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    /// <summary>As <see cref="Load(nn.Module,string,bool)"/> from tensors already in memory.</summary>
    public static LoadReport Load(nn.Module model, IReadOnlyDictionary<string, Tensor> source, bool strict = true, string origin = "state_dict")
    {
        var target = model.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var mismatched = target.Keys.Where(k => source.TryGetValue(k, out var s) && !s.shape.SequenceEqual(target[k].shape))
            .Select(k => $"{k} (checkpoint {Shape(source[k])}, model {Shape(target[k])})").ToList();
        if (strict && (missing.Count + unexpected.Count + mismatched.Count) > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing keys: {List(missing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected keys: {List(unexpected)}");
            if (mismatched.Count > 0) parts.Add($"mis-shaped keys: {List(mismatched)}");
            throw new TinierHarException($"{origin}: does not fit the {model.GetName()} model ({string.Join("; ", parts)}). Was it saved for another model, variant or dataset shape?");
        }
        var loaded = new List<string>();
        using (torch.no_grad())
        {
            foreach (var (key, t) in target)
            {
                if (!source.TryGetValue(key, out var s) || !s.shape.SequenceEqual(t.shape)) continue;
                t.copy_(s.to_type(t.dtype));
                loaded.Add(key);
            }
        }
        return new LoadReport(loaded, missing, unexpected, mismatched.Select(m => m[..m.IndexOf(' ')]).ToList());
    }

    /// <summary>Saves the model's state_dict (parameters and buffers) in torch.save format; atomic.</summary>
    public static void Save(nn.Module model, string path, string prefix = "")
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var table = new Hashtable();
        foreach (var (key, t) in model.state_dict()) table[prefix + key] = t;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(tmp)) PyTorchPickler.PickleStateDict(stream, table, leaveOpen: false);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    static string Shape(Tensor t) => "(" + string.Join(", ", t.shape) + ")";

    static string List(List<string> keys) => keys.Count <= 6 ? string.Join(", ", keys) : string.Join(", ", keys.Take(6)) + $" and {keys.Count - 6} more";
}
