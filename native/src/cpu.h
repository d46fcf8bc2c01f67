/* What the processor can run and which ISA new plans may use. */
#ifndef NATIVECONV_CPU_H
#define NATIVECONV_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "nativeconv.h"

/* nc_cpu_feature bits, detected on first use. */
uint32_t nci_cpu_features(void);

/* Hardware best, lowered by NATIVECONV_MAX_ISA and nci_set_max_isa. */
int32_t nci_active_isa(void);

nc_status nci_set_max_isa(int32_t isa);

const char *nci_isa_name(int32_t isa);

/* True when code built for required runs under the active ISA. The x86 ISAs nest (AVX-512 machines
 * run AVX2 code); NEON is its own family, so the enum order alone cannot decide this. */
bool nci_isa_includes(int32_t active, int32_t required);

#endif
