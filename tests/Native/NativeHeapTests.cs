using TinierHar.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Native;

/// <summary>The glibc heap settings TorchSetup applies: large tensors come from the heap, not from fresh mappings.
/// They count the process's mapped blocks, so they run alone (no other test allocating or freeing meanwhile).</summary>
[Collection(ProcessHeapCollection.Name)]
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
        // its own mmap and mallinfo2().hblks counts it while it is alive: every attempt would count one more. Earlier
        // tests' tensors are finalized first (a finalizer freeing a mapping mid-attempt would change the count).
        GC.Collect(); GC.WaitForPendingFinalizers();
        var added = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            long before = NativeHeap.MappedBlocks();
            using var t = torch.ones(12L * 1024 * 1024, dtype: ScalarType.Float32);
            Assert.Equal(12L * 1024 * 1024, t.sum().item<float>());
            added.Add(NativeHeap.MappedBlocks() - before);
        }
        Assert.Contains(0L, added);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeapCollection { public const string Name = "process heap"; }
