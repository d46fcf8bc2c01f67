/* The worked example, checked against values computed by hand (not by the library or the reference).
 *
 * Input: 1 image, 3 channels of 5 x 5, NCHW, x[c][h][w] = 25c + 5h + w + 1 (so 1..75 in memory order).
 * Two 3x3x3 filters, stride 2, padding 1 on every side: out = (5 + 2 - 3) / 2 + 1 = 3 per axis.
 * Output (oh, ow) reads input rows 2oh-1 .. 2oh+1 and columns 2ow-1 .. 2ow+1; the ones inside the
 * input are R(0) = {0,1}, R(1) = {1,2,3}, R(2) = {3,4}: counts 2, 3, 2 and sums 1, 6, 7.
 *
 * Filter 0: every weight 1, bias 1. Summing the three channels at one (h, w) gives
 * 75 + 3(5h + w + 1) = 78 + 15h + 3w, so over the window
 *   y0(oh, ow) = 78 |Rh||Rw| + 15 |Rw| sum(Rh) + 3 |Rh| sum(Rw) + 1.
 *   y0(0,0) = 78*4 + 15*2*1 + 3*2*1 + 1 = 349     y0(0,1) = 78*6 + 15*3*1 + 3*2*6 + 1 = 550
 *   y0(0,2) = 78*4 + 15*2*1 + 3*2*7 + 1 = 385     y0(1,0) = 78*6 + 15*2*6 + 3*3*1 + 1 = 658
 *   y0(1,1) = 78*9 + 15*3*6 + 3*3*6 + 1 = 1027    y0(1,2) = 78*6 + 15*2*6 + 3*3*7 + 1 = 712
 *   y0(2,0) = 78*4 + 15*2*7 + 3*2*1 + 1 = 529     y0(2,1) = 78*6 + 15*3*7 + 3*2*6 + 1 = 820
 *   y0(2,2) = 78*4 + 15*2*7 + 3*2*7 + 1 = 565
 *
 * Filter 1: a single weight 1 at channel 1, kernel row 0, kernel column 2; bias -0.5. It copies
 * x[1][2oh-1][2ow+1] = 26 + 5(2oh-1) + (2ow+1) when that pixel is inside the input, else reads padding:
 *   row oh = 0 reads input row -1 (padding) and column ow = 2 reads input column 5 (padding): -0.5.
 *   y1(1,0) = x[1][1][1] - 0.5 = 32 - 0.5 = 31.5   y1(1,1) = x[1][1][3] - 0.5 = 34 - 0.5 = 33.5
 *   y1(2,0) = x[1][3][1] - 0.5 = 42 - 0.5 = 41.5   y1(2,1) = x[1][3][3] - 0.5 = 44 - 0.5 = 43.5
 * Every value is a small integer or half-integer, so float arithmetic is exact and the check is ==.
 */
#include "nativeconv.h"
#include "test_util.h"

static const float expected[2][3][3] = {
    {{349, 550, 385}, {658, 1027, 712}, {529, 820, 565}},
    {{-0.5f, -0.5f, -0.5f}, {31.5f, 33.5f, -0.5f}, {41.5f, 43.5f, -0.5f}},
};

int main(void)
{
    float x[75], w[2][3][3][3] = {{{{0}}}}, y[18];
    for (int i = 0; i < 75; i++) {
        x[i] = (float)(i + 1);
    }
    for (int c = 0; c < 3; c++) {
        for (int r = 0; r < 3; r++) {
            for (int s = 0; s < 3; s++) {
                w[0][c][r][s] = 1.0f;
            }
        }
    }
    w[1][1][0][2] = 1.0f;
    const float b[2] = {1.0f, -0.5f};
    nc_conv2d_desc d = {.batch = 1, .in_channels = 3, .in_height = 5, .in_width = 5, .out_channels = 2,
                        .kernel_height = 3, .kernel_width = 3, .stride_height = 2, .stride_width = 2,
                        .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                        .dilation_width = 1, .groups = 1, .layout = NC_LAYOUT_NCHW, .filter_layout = NC_FILTER_OIHW};
    CHECK_STATUS(nc_conv2d(&d, x, 75, &w[0][0][0][0], 54, b, 2, y, 18, NULL), NC_STATUS_OK);
    for (int k = 0; k < 2; k++) {
        for (int oh = 0; oh < 3; oh++) {
            for (int ow = 0; ow < 3; ow++) {
                float got = y[(k * 3 + oh) * 3 + ow];
                if (got != expected[k][oh][ow]) {
                    fprintf(stderr, "y%d(%d,%d) = %g, expected %g\n", k, oh, ow, (double)got,
                            (double)expected[k][oh][ow]);
                    test_failures++;
                }
            }
        }
    }
    return test_finish("test_seed");
}
