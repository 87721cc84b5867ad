using TinierHar.Export;
using TinierHar.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// Compiles an exported C pair with a test driver (<c>gcc -std=c99 -O2 -Wall -Wextra -Werror</c>), runs it on windows
/// written to a binary file (float32, one window after another) and reads back the logits it writes; and computes the
/// TorchSharp eval forward (plain path, the oracle) of the same windows.
/// </summary>
internal static class CHarness
{
    /// <summary>Compiles the C pair <c>{prefix}.c/.h</c> in <paramref name="dir"/> with the checking driver; returns the executable's path.</summary>
    public static string Compile(string dir, string prefix) => HostBuild.Compile(dir, prefix);

    /// <summary>Runs the compiled driver on <paramref name="windows"/> (N,1,T,C); returns (N,K) logits.</summary>
    public static float[,] RunC(string exe, Tensor windows, int classes)
    {
        using var logits = HostBuild.Predict(exe, windows, classes);
        return ToMatrix(logits);
    }

    /// <summary>TorchSharp's eval forward on the plain path (no grad).</summary>
    public static float[,] RunTorch(nn.Module<Tensor, Tensor> model, Tensor windows)
    {
        model.eval();
        using var _ = torch.no_grad();
        using var plain = KernelSwitch.Plain();
        using var logits = model.call(windows);
        return ToMatrix(logits);
    }

    /// <summary>A 2-D tensor as a float matrix.</summary>
    public static float[,] ToMatrix(Tensor matrix)
    {
        using var c = matrix.to_type(ScalarType.Float32).contiguous();
        int n = (int)c.shape[0], k = (int)c.shape[1];
        var flat = c.data<float>().ToArray();
        var result = new float[n, k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) result[i, j] = flat[i * k + j];
        return result;
    }

    /// <summary>Largest absolute difference; also checks the shapes agree.</summary>
    public static double MaxAbsDiff(float[,] a, float[,] b)
    {
        Assert.Equal(a.GetLength(0), b.GetLength(0));
        Assert.Equal(a.GetLength(1), b.GetLength(1));
        double max = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) max = Math.Max(max, Math.Abs((double)a[i, j] - b[i, j]));
        return max;
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tinierhar-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
