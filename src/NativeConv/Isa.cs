using NativeConv.Interop;

namespace NativeConv;

// The values are nativeconv.h's, so the descriptors take them by a plain cast.
/// <summary>An instruction set the native kernels can be compiled for.</summary>
public enum Isa
{
    /// <summary>Portable C, no vector instructions assumed.</summary>
    Scalar = (int)nc_isa.NC_ISA_SCALAR,

    /// <summary>x86-64 AVX2 together with FMA.</summary>
    Avx2 = (int)nc_isa.NC_ISA_AVX2,

    /// <summary>x86-64 AVX-512 Foundation.</summary>
    Avx512 = (int)nc_isa.NC_ISA_AVX512,

    /// <summary>AArch64 Advanced SIMD.</summary>
    Neon = (int)nc_isa.NC_ISA_NEON,
}
