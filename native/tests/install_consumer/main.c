/* Uses the installed package the way an outside project would: header, library and one call. */
#include <stdio.h>
#include <string.h>

#include <nativeconv.h>

int main(void)
{
    const float x[4] = {1, 2, 3, 4};
    float y = 0;
    nc_pool2d_desc d = {.batch = 1, .channels = 1, .in_height = 2, .in_width = 2, .kind = NC_POOL_AVERAGE,
                        .flags = NC_POOL2D_GLOBAL};
    nc_status status = nc_pool2d(&d, x, 4, &y, 1, NULL);
    printf("nativeconv %s: global average of 1..4 = %g\n", nc_version_string(), (double)y);
    return status == NC_STATUS_OK && y == 2.5f && nc_abi_version() == NC_ABI_VERSION ? 0 : 1;
}
