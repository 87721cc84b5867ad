using System.Buffers.Binary;
using System.Text;

namespace TinierHar.Export;

/// <summary>
/// The protocol buffers wire format, the part that the ONNX model file needs: each field is a tag (field number, wire
/// type) followed by a varint (wire type 0: integers and enums, negative int64 as ten bytes), four little-endian bytes
/// (wire type 5: float) or a varint length and that many bytes (wire type 2: strings, bytes, nested messages).
/// Repeated fields are written one element per tag (the proto2 default, which every parser reads).
/// </summary>
public sealed class ProtoWriter
{
    const int VarintType = 0, LengthDelimitedType = 2, Fixed32Type = 5;

    readonly MemoryStream buffer = new();

    /// <summary>An integer or enum field (int32, int64).</summary>
    public void Varint(int field, long value)
    {
        Tag(field, VarintType);
        WriteVarint((ulong)value);
    }

    /// <summary>A float field.</summary>
    public void Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    /// <summary>A bytes field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, LengthDelimitedType);
        WriteVarint((ulong)bytes.Length);
        buffer.Write(bytes);
    }

    /// <summary>A string field, UTF-8.</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A nested message field, its fields written by <paramref name="write"/>.</summary>
    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner.buffer.GetBuffer().AsSpan(0, (int)inner.buffer.Length));
    }

    /// <summary>The message written so far.</summary>
    public byte[] ToArray() => buffer.ToArray();

    void Tag(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

    void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
