using System.Text;

namespace TinierHar.Figures;

/// <summary>Minimal PNG reader for the blank-screenshot check (8-bit RGB / RGBA, non-interlaced, as Chromium writes).</summary>
internal static class PngCheck
{
    /// <summary>True when (almost) every pixel equals the first one; null when the PNG kind is not supported.</summary>
    public static bool? Blank(byte[] png)
    {
        var pixels = Decode(png, out var width, out var height, out var channels);
        if (pixels is null) return null;
        var stride = width * channels;
        var different = 0L;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var o = y * stride + x * channels;
                for (var c = 0; c < Math.Min(channels, 3); c++)
                    if (Math.Abs(pixels[o + c] - pixels[c]) > 8) { different++; break; }
            }
        return different < (long)width * height / 1000;
    }

    /// <summary>Unfiltered pixels (row-major, <paramref name="channels"/> bytes each) or null when unsupported.</summary>
    public static byte[]? Decode(byte[] png, out int width, out int height, out int channels)
    {
        width = height = channels = 0;
        if (png.Length < 33 || png[0] != 0x89 || png[1] != (byte)'P') return null;
        var idat = new MemoryStream();
        var pos = 8;
        int bitDepth = 0, colorType = 0, interlace = 0;
        while (pos + 8 <= png.Length)
        {
            var len = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = pos + 8;
            if (len < 0 || data + len > png.Length) return null;
            if (type == "IHDR")
            {
                width = (png[data] << 24) | (png[data + 1] << 16) | (png[data + 2] << 8) | png[data + 3];
                height = (png[data + 4] << 24) | (png[data + 5] << 16) | (png[data + 6] << 8) | png[data + 7];
                bitDepth = png[data + 8];
                colorType = png[data + 9];
                interlace = png[data + 12];
            }
            else if (type == "IDAT") idat.Write(png, data, len);
            else if (type == "IEND") break;
            pos = data + len + 4;
        }
        channels = colorType switch { 2 => 3, 6 => 4, _ => 0 };
        if (bitDepth != 8 || channels == 0 || interlace != 0 || width <= 0 || height <= 0) return null;
        idat.Position = 0;
        using var z = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        var read = 0;
        int n;
        while (read < raw.Length && (n = z.Read(raw, read, raw.Length - read)) > 0) read += n;
        if (read < raw.Length) return null;
        var outp = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = y * (stride + 1) + 1;
            var dst = y * stride;
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? outp[dst + i - channels] : 0;
                int b = y > 0 ? outp[dst - stride + i] : 0;
                int c = i >= channels && y > 0 ? outp[dst - stride + i - channels] : 0;
                int v = raw[src + i];
                outp[dst + i] = (byte)(filter switch
                {
                    0 => v,
                    1 => v + a,
                    2 => v + b,
                    3 => v + ((a + b) >> 1),
                    4 => v + Paeth(a, b, c),
                    _ => v,
                });
            }
        }
        return outp;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
