using TinierHar.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Native;

/// <summary>The glibc heap settings TorchSetup applies: large tensors come from the heap, not from fresh mappings.</summary>
public class NativeHeapTests
{
    [GlibcHeapFact]
    public void Settings_are_applied_on_linux_with_glibc()
    {
        TorchSetup.EnsureInitialized();
        Assert.True(NativeHeap.Tuned, NativeHeap.NotTunedReason);
        Assert.Null(NativeHeap.NotTunedReason);
    }

    [GlibcHeapFact]
    public void A_48_MiB_tensor_is_not_a_separate_mapping()
    {
        TorchSetup.EnsureInitialized();
        // glibc's default (dynamic) threshold never exceeds 32 MiB, so without the settings a 48 MiB block is always
        // its own mmap and mallinfo2().hblks counts it while it is alive.
        for (int i = 0; i < 3; i++)
        {
            long before = NativeHeap.MappedBlocks();
            using (var t = torch.ones(12L * 1024 * 1024, dtype: ScalarType.Float32))
            {
                Assert.Equal(12L * 1024 * 1024, t.sum().item<float>());
                Assert.Equal(before, NativeHeap.MappedBlocks());
            }
        }
    }
}
