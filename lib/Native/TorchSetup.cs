using System.Runtime.InteropServices;
using TorchSharp;

namespace TinierHar.Native;

/// <summary>
/// Process-wide libtorch settings the library needs, applied once before the first model is built.
/// <para>
/// oneDNN (mkldnn) bug: in libtorch 2.10 CPU (TorchSharp-cpu 0.107.0) on x86-64 with AVX or newer, oneDNN's
/// convolution sometimes leaves output elements unwritten for (5,1) kernels on some channel counts (seen for 20 and
/// 40 input channels, e.g. TinyHAR's 20-filter layers): the output then holds whatever the freed memory held, which
/// shows up as random NaN or garbage depending on earlier allocations. <c>tests/Native/ConvolutionGarbageTests.cs</c>
/// reproduces it. With oneDNN limited to SSE4.1 or disabled the outputs are correct, so this disables oneDNN for
/// the process (<c>at::globalContext().setUserEnabledMkldnn(false)</c>, as PyTorch's
/// <c>torch.backends.mkldnn.enabled = False</c>); ATen's own convolution is used instead. NNPACK is disabled too: on
/// this CPU it is unsupported and ATen would otherwise print a warning at every convolution. TorchSharp has no binding
/// for it, so the C++ entry points of libtorch_cpu are called directly (Itanium names on Linux/macOS, MSVC names on
/// Windows; the Windows path is untested). Set <c>TINIERHAR_MKLDNN=1</c> to keep oneDNN enabled.
/// </para>
/// <para>It also applies <see cref="NativeHeap"/>'s glibc heap settings (large tensors reuse freed memory).</para>
/// </summary>
public static class TorchSetup
{
    static int _done;

    /// <summary>True once oneDNN has been disabled for this process.</summary>
    public static bool MkldnnDisabled { get; private set; }

    /// <summary>Applies the settings (idempotent, thread-safe, never throws).</summary>
    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        NativeHeap.Apply();
        if (Environment.GetEnvironmentVariable("TINIERHAR_MKLDNN") == "1") return;
        try
        {
            torch.zeros(1).Dispose(); // loads libtorch
            if (OperatingSystem.IsWindows())
            {
                var ctx = Msvc.globalContext();
                Msvc.setUserEnabledMkldnn(ctx, false);
                Msvc.setUserEnabledNNPACK(ctx, false);
                MkldnnDisabled = !Msvc.userEnabledMkldnn(ctx);
            }
            else
            {
                var ctx = Itanium.globalContext();
                Itanium.setUserEnabledMkldnn(ctx, false);
                Itanium.setUserEnabledNNPACK(ctx, false);
                MkldnnDisabled = !Itanium.userEnabledMkldnn(ctx);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            MkldnnDisabled = false;
        }
    }

    static class Itanium
    {
        [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr globalContext();

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static extern void setUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void setUserEnabledNNPACK(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool userEnabledMkldnn(IntPtr context);
    }

    static class Msvc
    {
        [DllImport("torch_cpu", EntryPoint = "?globalContext@at@@YAAEAVContext@1@XZ")]
        public static extern IntPtr globalContext();

        [DllImport("torch_cpu", EntryPoint = "?setUserEnabledMkldnn@Context@at@@QEAAX_N@Z")]
        public static extern void setUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("torch_cpu", EntryPoint = "?setUserEnabledNNPACK@Context@at@@QEAAX_N@Z")]
        public static extern void setUserEnabledNNPACK(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("torch_cpu", EntryPoint = "?userEnabledMkldnn@Context@at@@QEBA_NXZ")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool userEnabledMkldnn(IntPtr context);
    }
}
