using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TinierHar.Cli.Kernel;

/// <summary>
/// One Jupyter message (messaging protocol 5.3) as it travels over ZeroMQ:
/// <c>[identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content, buffers...]</c>,
/// signed with HMAC-SHA256 over the four JSON frames.
/// </summary>
public sealed record JupyterMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    /// <summary>The frame that separates the routing identities from the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary>
    /// Parses and verifies the frames. Returns null with a reason (one line) when the frames are malformed or the
    /// signature does not verify (compared in constant time); with an empty key, messages are not signed.
    /// </summary>
    public static JupyterMessage? Parse(IReadOnlyList<byte[]> frames, byte[] key, out string? reason)
    {
        reason = null;
        int d = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { d = i; break; }
        if (d < 0 || frames.Count < d + 6)
        {
            reason = $"malformed message ({frames.Count} frames, no delimiter or fewer than 5 frames after it)";
            return null;
        }
        var signature = Encoding.ASCII.GetString(frames[d + 1]);
        if (key.Length > 0)
        {
            var expected = Sign(key, frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5]);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            {
                reason = "signature does not verify";
                return null;
            }
        }
        try
        {
            JsonObject Obj(byte[] b) => JsonNode.Parse(b.Length == 0 ? "{}"u8 : b) as JsonObject ?? new JsonObject();
            return new JupyterMessage(frames.Take(d).ToArray(), Obj(frames[d + 2]), Obj(frames[d + 3]), Obj(frames[d + 4]), Obj(frames[d + 5]));
        }
        catch (System.Text.Json.JsonException e)
        {
            reason = $"malformed JSON in a message frame: {e.Message}";
            return null;
        }
    }

    /// <summary>Hex HMAC-SHA256 of the frames (empty with an empty key).</summary>
    public static string Sign(byte[] key, params byte[][] parts)
    {
        if (key.Length == 0) return "";
        using var hmac = new HMACSHA256(key);
        foreach (var p in parts) hmac.TransformBlock(p, 0, p.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(hmac.Hash!).ToLowerInvariant();
    }

    /// <summary>A new header of <paramref name="type"/> for <paramref name="session"/>.</summary>
    public static JsonObject NewHeader(string type, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "tinierhar",
        ["date"] = DateTimeOffset.UtcNow.ToString("o"),
        ["msg_type"] = type,
        ["version"] = ProtocolVersion,
    };

    /// <summary>The frames of this message, signed with <paramref name="key"/>.</summary>
    public List<byte[]> ToFrames(byte[] key)
    {
        var header = Encoding.UTF8.GetBytes(Header.ToJsonString());
        var parent = Encoding.UTF8.GetBytes(ParentHeader.ToJsonString());
        var metadata = Encoding.UTF8.GetBytes(Metadata.ToJsonString());
        var content = Encoding.UTF8.GetBytes(Content.ToJsonString());
        var frames = new List<byte[]>(Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(Sign(key, header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        return frames;
    }
}

/// <summary>A Jupyter connection file (the kernel binds exactly the transport, address and ports it names).</summary>
public sealed record ConnectionInfo(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HbPort, string Key, string SignatureScheme)
{
    /// <exception cref="TinierHarException">Missing file, malformed JSON, a missing field or an unsupported scheme (one line).</exception>
    public static ConnectionInfo Load(string path)
    {
        if (!File.Exists(path)) throw new TinierHarException($"{path}: connection file not found");
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new TinierHarException($"{path}: not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new TinierHarException($"{path}: malformed JSON ({e.Message})"); }
        string Str(string name, string? fallback = null) => json[name]?.GetValue<string>() ?? fallback ?? throw new TinierHarException($"{path}: field '{name}' is missing");
        int Port(string name) => json[name]?.GetValue<int>() ?? throw new TinierHarException($"{path}: field '{name}' is missing");
        var info = new ConnectionInfo(Str("transport", "tcp"), Str("ip"), Port("shell_port"), Port("iopub_port"), Port("stdin_port"),
            Port("control_port"), Port("hb_port"), Str("key", ""), Str("signature_scheme", "hmac-sha256"));
        if (info.Transport is not ("tcp" or "ipc")) throw new TinierHarException($"{path}: transport '{info.Transport}' is not supported (tcp, ipc)");
        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
            throw new TinierHarException($"{path}: signature scheme '{info.SignatureScheme}' is not supported (hmac-sha256)");
        return info;
    }

    /// <summary>The endpoint of a channel: <c>tcp://ip:port</c>, or <c>ipc://ip-port</c> as Jupyter names ipc files.</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"tcp://{Ip}:{port}";
}
