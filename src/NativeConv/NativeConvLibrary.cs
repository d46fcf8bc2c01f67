using NativeConv.Interop;

namespace NativeConv;

/// <summary>Information about the native library and control over the instruction set its kernels use.</summary>
public static unsafe class NativeConvLibrary
{
    /// <summary>The native library's version, <c>major.minor.patch</c>.</summary>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static string Version
    {
        get
        {
            NativeLibraryGuard.EnsureInitialized();
            return NativeText.FromUtf8(NativeMethods.nc_version_string());
        }
    }

    /// <summary>
    /// The best instruction set that plans created now may use: <see cref="BestSupportedIsa"/>, lowered by the
    /// <c>NATIVECONV_MAX_ISA</c> environment variable (read once) and by <see cref="SetMaxIsa"/>.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static Isa ActiveIsa
    {
        get
        {
            NativeLibraryGuard.EnsureInitialized();
            return (Isa)NativeMethods.nc_active_isa();
        }
    }

    /// <summary>The best instruction set the processor and operating system support, whatever the caps.</summary>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static Isa BestSupportedIsa
    {
        get
        {
            NativeLibraryGuard.EnsureInitialized();
            uint features = NativeMethods.nc_cpu_features();
            const uint avx2Fma = (uint)(nc_cpu_feature.NC_CPU_AVX2 | nc_cpu_feature.NC_CPU_FMA);
            if ((features & (uint)nc_cpu_feature.NC_CPU_AVX512F) != 0)
            {
                return Isa.Avx512;
            }

            if ((features & avx2Fma) == avx2Fma)
            {
                return Isa.Avx2;
            }

            return (features & (uint)nc_cpu_feature.NC_CPU_NEON) != 0 ? Isa.Neon : Isa.Scalar;
        }
    }

    /// <summary>
    /// Caps the instruction set of plans created from now on; existing plans keep theirs. A cap above what the hardware
    /// supports is allowed and has no effect. Useful to compare kernel paths or to reproduce a result from another machine.
    /// </summary>
    /// <param name="isa">The highest instruction set to use.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="isa"/> is not a defined <see cref="Isa"/> value.</exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void SetMaxIsa(Isa isa)
    {
        if (!Enum.IsDefined(isa))
        {
            throw new ArgumentOutOfRangeException(nameof(isa), isa, $"{isa} is not a defined Isa value.");
        }

        NativeLibraryGuard.EnsureInitialized();
        NativeStatus.ThrowIfFailed(NativeMethods.nc_set_max_isa((int)isa));
    }
}
