using Microsoft.ML.OnnxRuntime;
using TinierHar.Export;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// Runs an exported ONNX file with ONNX Runtime (CPU, one thread) on a batch of windows in one call, checks the declared
/// input and output (symbolic batch dimension), and reads the model's IR version and default-domain opset from the file
/// with a protobuf reader of its own (ONNX Runtime does not report them).
/// </summary>
internal static class OnnxHarness
{
    /// <summary>The logits (N,K) of <paramref name="windows"/> (N,1,T,C) from one <c>Run</c> of the model at <paramref name="path"/>.</summary>
    public static float[,] Run(string path, Tensor windows)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var input = session.InputMetadata[OnnxGraph.InputName];
        Assert.Equal([-1, 1, windows.shape[2], windows.shape[3]], input.Dimensions.Select(d => (long)d));
        Assert.Equal(OnnxGraph.BatchDimension, input.SymbolicDimensions[0]);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal(OnnxGraph.OutputName, output.Key);
        Assert.Equal(-1, output.Value.Dimensions[0]);

        using var c = windows.to_type(ScalarType.Float32).contiguous();
        var data = c.data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, c.shape);
        using var run = new RunOptions();
        using var results = session.Run(run, [OnnxGraph.InputName], [value], [OnnxGraph.OutputName]);
        var shape = results[0].GetTensorTypeAndShape().Shape;
        Assert.Equal(2, shape.Length);
        Assert.Equal(windows.shape[0], shape[0]);
        var flat = results[0].GetTensorDataAsSpan<float>();
        int n = (int)shape[0], k = (int)shape[1];
        var logits = new float[n, k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) logits[i, j] = flat[i * k + j];
        return logits;
    }

    /// <summary>ModelProto's <c>ir_version</c> (field 1) and the version of its opset_import (field 8) with the empty domain.</summary>
    public static (long IrVersion, long Opset) Versions(byte[] model)
    {
        long ir = -1, opset = -1;
        foreach (var (field, value, bytes) in Fields(model))
        {
            if (field == 1) ir = value;
            if (field != 8) continue;
            var entry = Fields(bytes!).ToList();
            var domain = entry.Where(f => f.Field == 1).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes!)).FirstOrDefault() ?? "";
            if (domain is "" or "ai.onnx") opset = entry.Single(f => f.Field == 2).Value;
        }
        return (ir, opset);
    }

    /// <summary>The top-level fields of a protobuf message: varints as values, length-delimited fields as bytes.</summary>
    static IEnumerable<(int Field, long Value, byte[]? Bytes)> Fields(byte[] message)
    {
        int pos = 0;
        long Varint()
        {
            long v = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = message[pos++];
                v |= (long)(b & 0x7f) << shift;
                if (b < 0x80) return v;
            }
        }
        while (pos < message.Length)
        {
            var tag = Varint();
            int field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0: yield return (field, Varint(), null); break;
                case 2:
                    int length = (int)Varint();
                    yield return (field, 0, message[pos..(pos + length)]);
                    pos += length;
                    break;
                case 5: pos += 4; break;
                case 1: pos += 8; break;
                default: throw new InvalidDataException($"unexpected wire type {tag & 7}");
            }
        }
    }
}
