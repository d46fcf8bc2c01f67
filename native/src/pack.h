/* Reordering of caller weights into the memory order a kernel reads. */
#ifndef NATIVECONV_PACK_H
#define NATIVECONV_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

/* Floats the packed filter occupies; blocked packings may need padding, these two do not. */
int64_t nci_packed_filter_count(nci_filter_packing packing, const nci_conv_params *params);

/* filter is in nc_filter_layout filter_layout; packed receives nci_packed_filter_count floats. */
void nci_pack_filter(nci_filter_packing packing, const nci_conv_params *params, int32_t filter_layout,
                     const float *filter, float *packed);

#endif
