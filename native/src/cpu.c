#include "cpu.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define NCI_X86_CPUID 1
#endif

/* Marks a cached value as computed; detection and the environment lookup are idempotent, so
 * concurrent first calls may both compute and store the same value. */
#define FEATURES_KNOWN 0x80000000u
#define CAP_UNREAD (-1)
#define NO_CAP (-2)

static const char *const isa_names[] = {"scalar", "avx2", "avx512", "neon"};
#define ISA_COUNT ((int32_t)(sizeof isa_names / sizeof isa_names[0]))

static _Atomic uint32_t cached_features = 0;
static _Atomic int32_t environment_cap = CAP_UNREAD;
/* The one piece of mutable library state the caller controls. */
static _Atomic int32_t caller_cap = NO_CAP;

#if defined(NCI_X86_CPUID)
/* XCR0 bits the OS sets when it saves a register state on context switches: SSE and AVX (ymm), and the
 * three AVX-512 states (opmask, upper zmm0-15, zmm16-31). */
#define XCR0_YMM 0x06u
#define XCR0_ZMM 0xE6u

static uint32_t read_xcr0(void)
{
    uint32_t low, high;
    __asm__ __volatile__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    (void)high;
    return low;
}

/* CPUID and XGETBV directly rather than __builtin_cpu_supports, which links libgcc's whole CPU model table
 * (about 5 KB) for three bits. A feature counts only if the OS also saves its registers. */
static uint32_t detect_x86_features(void)
{
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || (ecx & bit_OSXSAVE) == 0) {
        return 0;
    }
    const uint32_t xcr0 = read_xcr0();
    if ((xcr0 & XCR0_YMM) != XCR0_YMM) {
        return 0;
    }
    uint32_t features = (ecx & bit_FMA) != 0 ? NC_CPU_FMA : 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        return features;
    }
    if ((ebx & bit_AVX2) != 0) {
        features |= NC_CPU_AVX2;
    }
    if ((ebx & bit_AVX512F) != 0 && (xcr0 & XCR0_ZMM) == XCR0_ZMM) {
        features |= NC_CPU_AVX512F;
    }
    return features;
}
#endif

static uint32_t detect_features(void)
{
    uint32_t features = 0;
#if defined(NCI_X86_CPUID)
    features = detect_x86_features();
#elif defined(__linux__) && defined(__aarch64__)
    if ((getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0) {
        features |= NC_CPU_NEON;
    }
#elif defined(__aarch64__) || defined(_M_ARM64)
    features |= NC_CPU_NEON; /* Advanced SIMD is part of the AArch64 base architecture. */
#endif
    return features;
}

uint32_t nci_cpu_features(void)
{
    uint32_t features = atomic_load(&cached_features);
    if ((features & FEATURES_KNOWN) == 0) {
        features = detect_features() | FEATURES_KNOWN;
        atomic_store(&cached_features, features);
    }
    return features & ~FEATURES_KNOWN;
}

static int32_t hardware_isa(void)
{
    uint32_t features = nci_cpu_features();
    const uint32_t avx2 = NC_CPU_AVX2 | NC_CPU_FMA;
    if ((features & avx2) == avx2) {
        return (features & NC_CPU_AVX512F) != 0 ? NC_ISA_AVX512 : NC_ISA_AVX2;
    }
    return (features & NC_CPU_NEON) != 0 ? NC_ISA_NEON : NC_ISA_SCALAR;
}

static int32_t read_environment_cap(void)
{
    const char *value = getenv("NATIVECONV_MAX_ISA");
    if (value != NULL) {
        for (int32_t isa = 0; isa < ISA_COUNT; isa++) {
            if (strcmp(value, isa_names[isa]) == 0) {
                return isa;
            }
        }
    }
    return NO_CAP; /* unset or unrecognised: no cap, as a typo must not silently slow everything down */
}

static int32_t apply_cap(int32_t isa, int32_t cap)
{
    if (cap == NO_CAP || isa == NC_ISA_SCALAR) {
        return isa;
    }
    if (cap == NC_ISA_SCALAR) {
        return NC_ISA_SCALAR;
    }
    /* A cap from the other family (NEON on x86, AVX on AArch64) is above what the hardware has. */
    bool same_family = (cap == NC_ISA_NEON) == (isa == NC_ISA_NEON);
    return same_family && cap < isa ? cap : isa;
}

int32_t nci_active_isa(void)
{
    int32_t env_cap = atomic_load(&environment_cap);
    if (env_cap == CAP_UNREAD) {
        env_cap = read_environment_cap();
        atomic_store(&environment_cap, env_cap);
    }
    return apply_cap(apply_cap(hardware_isa(), env_cap), atomic_load(&caller_cap));
}

nc_status nci_set_max_isa(int32_t isa)
{
    if (isa < 0 || isa >= ISA_COUNT) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    atomic_store(&caller_cap, isa);
    return NC_STATUS_OK;
}

const char *nci_isa_name(int32_t isa)
{
    return isa >= 0 && isa < ISA_COUNT ? isa_names[isa] : "unknown";
}

bool nci_isa_includes(int32_t active, int32_t required)
{
    if (required == NC_ISA_SCALAR) {
        return true;
    }
    if (required == NC_ISA_NEON || active == NC_ISA_NEON) {
        return required == active;
    }
    return required <= active;
}
