using NativeConv.Interop;

namespace NativeConv;

// The values are nativeconv.h's, so the descriptors take them by a plain cast.
/// <summary>How convolution weights are ordered in memory, for K output channels, C input channels and G groups.</summary>
public enum FilterLayout
{
    /// <summary><c>[K][C/G][kernel height][kernel width]</c>: PyTorch's <c>weight</c> and ONNX.</summary>
    Oihw = (int)nc_filter_layout.NC_FILTER_OIHW,

    /// <summary>
    /// <c>[kernel height][kernel width][C/G][K]</c>: TensorFlow. Output channel k belongs to group k / (K/G), so a
    /// TensorFlow depthwise filter <c>[kh][kw][C][multiplier]</c> can be passed as is with G = C.
    /// </summary>
    Hwio = (int)nc_filter_layout.NC_FILTER_HWIO,
}
