using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TinierHar.Data;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF; check value of
/// "123456789" = 0xE3069283): the <see cref="WindowCache"/> file checksum. Uses the SSE4.2 / ARMv8 CRC32C
/// instructions when available, a lookup table otherwise.
/// </summary>
public static class Crc32C
{
    static readonly uint[] Table = BuildTable();

    static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[i] = c;
        }
        return t;
    }

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a previous result, 0 to start) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        int bulk = data.Length & ~7;
        if (Sse42.X64.IsSupported)
        {
            ulong c64 = c;
            var words = MemoryMarshal.Cast<byte, ulong>(data[..bulk]);
            for (int i = 0; i < words.Length; i++) c64 = Sse42.X64.Crc32(c64, words[i]);
            c = (uint)c64;
            foreach (var b in data[bulk..]) c = Sse42.Crc32(c, b);
        }
        else if (Crc32.Arm64.IsSupported)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(data[..bulk]);
            for (int i = 0; i < words.Length; i++) c = Crc32.Arm64.ComputeCrc32C(c, words[i]);
            foreach (var b in data[bulk..]) c = Crc32.ComputeCrc32C(c, b);
        }
        else
        {
            var table = Table;
            foreach (var b in data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
        }
        return ~c;
    }

    /// <summary>The table-driven path only (to test it against the hardware path).</summary>
    public static uint ComputeSoftware(ReadOnlySpan<byte> data)
    {
        uint c = ~0u;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
