using TinierHar.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Native;

/// <summary>
/// Regression test for the oneDNN convolution bug TorchSetup works around: (5,1) convolutions with 20 or 40 input
/// channels left output elements unwritten, so memory freed just before (here filled with NaN on purpose) leaked into
/// the output. Without the workaround this fails within a few iterations on this machine.
/// </summary>
public class ConvolutionGarbageTests
{
    [Fact]
    public void Convolutions_write_every_output_element()
    {
        TorchSetup.EnsureInitialized();
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && Environment.GetEnvironmentVariable("TINIERHAR_MKLDNN") != "1")
            Assert.True(TorchSetup.MkldnnDisabled, "oneDNN should be disabled on Linux x64");
        using var noGrad = torch.no_grad();
        foreach (long cin in new long[] { 20, 40 })
            foreach (long stride in new long[] { 1, 2 })
                for (int i = 0; i < 40; i++)
                {
                    using var scope = torch.NewDisposeScope();
                    var conv = nn.Conv2d(cin, 20, (5, 1), stride: (stride, 1));
                    var x = torch.randn(2, cin, 124, 9);
                    long rows = (124 - 5) / stride + 1;
                    torch.full([2, 20, rows, 9], float.NaN).Dispose(); // leave NaN in the allocator's free memory
                    var y = conv.call(x);
                    Assert.False(y.isnan().any().item<bool>(), $"Conv2d({cin}, 20, (5,1), stride {stride}) left unwritten outputs (iteration {i})");
                    var expected = nn.functional.conv2d(x.to_type(ScalarType.Float64), conv.weight.to_type(ScalarType.Float64), conv.bias!.to_type(ScalarType.Float64), strides: [stride, 1]);
                    Assert.True(y.to_type(ScalarType.Float64).allclose(expected, rtol: 1e-4, atol: 1e-5), "float32 convolution differs from float64");
                }
    }
}
