/* CPU features, ISA names and the ISA cap. With an argument, the test also checks that the
 * NATIVECONV_MAX_ISA environment variable (set by CTest) capped the active ISA to that name. */
#include <string.h>

#include "nativeconv.h"
#include "test_util.h"

int main(int argc, char **argv)
{
    const int32_t start = nc_active_isa();
    printf("features 0x%x, active isa %s\n", (unsigned)nc_cpu_features(), nc_isa_name(start));
    if (argc > 1) {
        CHECK(strcmp(nc_isa_name(start), argv[1]) == 0);
    }

    const uint32_t features = nc_cpu_features();
    CHECK(features == nc_cpu_features()); /* detected once, stable */
    CHECK((features & ~(uint32_t)(NC_CPU_AVX2 | NC_CPU_FMA | NC_CPU_AVX512F | NC_CPU_NEON)) == 0);
    if (start == NC_ISA_AVX2 || start == NC_ISA_AVX512) {
        CHECK((features & (NC_CPU_AVX2 | NC_CPU_FMA)) == (NC_CPU_AVX2 | NC_CPU_FMA));
    }
    if (start == NC_ISA_AVX512) {
        CHECK((features & NC_CPU_AVX512F) != 0);
    }
    if (start == NC_ISA_NEON) {
        CHECK((features & NC_CPU_NEON) != 0);
    }

    CHECK(strcmp(nc_isa_name(NC_ISA_SCALAR), "scalar") == 0);
    CHECK(strcmp(nc_isa_name(NC_ISA_AVX2), "avx2") == 0);
    CHECK(strcmp(nc_isa_name(NC_ISA_AVX512), "avx512") == 0);
    CHECK(strcmp(nc_isa_name(NC_ISA_NEON), "neon") == 0);
    CHECK(strcmp(nc_isa_name(4), "unknown") == 0);
    CHECK(strcmp(nc_isa_name(-1), "unknown") == 0);

    CHECK_STATUS(nc_set_max_isa(-1), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_set_max_isa(4), NC_STATUS_INVALID_ARGUMENT);
    CHECK(nc_active_isa() == start);
    CHECK_STATUS(nc_set_max_isa(NC_ISA_SCALAR), NC_STATUS_OK);
    CHECK(nc_active_isa() == NC_ISA_SCALAR);
    /* A cap above the hardware, or from the other architecture, does not raise anything. */
    for (int32_t cap = NC_ISA_SCALAR; cap <= NC_ISA_NEON; cap++) {
        CHECK_STATUS(nc_set_max_isa(cap), NC_STATUS_OK);
        int32_t active = nc_active_isa();
        CHECK(active == NC_ISA_SCALAR || active == cap || active == start);
        CHECK(active == NC_ISA_SCALAR || start != NC_ISA_SCALAR);
    }
    /* The highest cap of the machine's own family lifts the earlier scalar cap again. */
    CHECK_STATUS(nc_set_max_isa(NC_ISA_SCALAR), NC_STATUS_OK);
    CHECK_STATUS(nc_set_max_isa(start == NC_ISA_NEON ? NC_ISA_NEON : NC_ISA_AVX512), NC_STATUS_OK);
    CHECK(nc_active_isa() == start);
    return test_finish("test_cpu");
}
