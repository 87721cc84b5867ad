using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TinierHar.Native;

/// <summary>
/// Process-wide libtorch settings the library needs, applied once before the first model is built.
/// <para>
/// oneDNN (mkldnn) bug: in libtorch 2.10 CPU (TorchSharp-cpu 0.107.0) on x86-64 with AVX or newer, oneDNN's
/// convolution computes (5,1) kernels wrongly when the input channels are neither 1 nor a multiple of 16 (20 and 40,
/// e.g. TinyHAR's 20-filter layers) and leaves some output elements unwritten: they hold whatever the freed memory
/// held, which shows up as random NaN or garbage depending on earlier allocations.
/// <c>tests/Native/ConvolutionGarbageTests.cs</c> reproduces it. With oneDNN limited to SSE4.1 or disabled the outputs are correct, so this disables oneDNN for
/// the process (<c>at::globalContext().setUserEnabledMkldnn(false)</c>, as PyTorch's
/// <c>torch.backends.mkldnn.enabled = False</c>); ATen's own convolution is used instead. NNPACK is disabled too: on
/// this CPU it is unsupported and ATen would otherwise print a warning at every convolution. TorchSharp has no binding
/// for it, so the C++ entry points of libtorch_cpu are called directly (Itanium names on Linux/macOS, MSVC names on
/// Windows; the Windows path is untested). <see cref="OneDnn"/> turns it back on while a model outside the bug's reach
/// (DeepConvLSTM) is trained. Set <c>TINIERHAR_MKLDNN=1</c> to keep oneDNN enabled for everything.
/// </para>
/// <para>It also applies <see cref="NativeHeap"/>'s glibc heap settings (large tensors reuse freed memory).</para>
/// <para>
/// It runs from the library's module initializer, i.e. before any type of TinierHar.Lib is used: a model's
/// <c>Module(name)</c> base constructor calls into LibTorchSharp before the model's own constructor body could, and in
/// a notebook kernel (dotnet-interactive) that native library is found only once TorchSharp's loader has run.
/// </para>
/// </summary>
public static class TorchSetup
{
    static int _done;

    /// <summary>True once oneDNN has been disabled for this process.</summary>
    public static bool MkldnnDisabled { get; private set; }

    /// <summary>Module initializer of TinierHar.Lib: runs <see cref="EnsureInitialized"/> before the first use of any
    /// library type (models included). A failure here must not make the whole library unusable, so it is swallowed:
    /// the first tensor operation then reports it.</summary>
#pragma warning disable CA2255 // the library needs libtorch ready before any model's base constructor runs
    [ModuleInitializer]
    internal static void OnLibraryLoad()
    {
        try { EnsureInitialized(); }
        catch (Exception) { Interlocked.Exchange(ref _done, 0); }
    }
#pragma warning restore CA2255

    /// <summary>Applies the settings (idempotent, thread-safe, never throws).</summary>
    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        NativeHeap.Apply();
        // The package's libtorch, not the system's, when TorchSharp runs from the NuGet cache: before the first tensor
        // whatever the oneDNN setting. Should it fail, the first tensor operation reports the loader's error.
        try { LibTorchPreload.Apply(); }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException) { }
        if (Environment.GetEnvironmentVariable("TINIERHAR_MKLDNN") == "1") return;
        try
        {
            torch.zeros(1).Dispose(); // loads libtorch
            if (OperatingSystem.IsWindows()) Msvc.setUserEnabledNNPACK(Msvc.globalContext(), false);
            else Itanium.setUserEnabledNNPACK(Itanium.globalContext(), false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return; // no switch: oneDNN stays as libtorch has it
        }
        MkldnnDisabled = SetMkldnn(false);
    }

    /// <summary>Whether libtorch currently uses oneDNN (null when the switch is unavailable).</summary>
    public static bool? MkldnnEnabled()
    {
        try { return OperatingSystem.IsWindows() ? Msvc.userEnabledMkldnn(Msvc.globalContext()) : Itanium.userEnabledMkldnn(Itanium.globalContext()); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { return null; }
    }

    /// <summary>Switches oneDNN on or off for the whole process; false when the switch is unavailable.</summary>
    internal static bool SetMkldnn(bool enabled)
    {
        try
        {
            if (OperatingSystem.IsWindows()) Msvc.setUserEnabledMkldnn(Msvc.globalContext(), enabled);
            else Itanium.setUserEnabledMkldnn(Itanium.globalContext(), enabled);
            return MkldnnEnabled() == enabled;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { return false; }
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
