namespace NativeConv.Benchmarks;

/// <summary>
/// A serialized ONNX model holding one pooling node for a suite row, input X (NCHW), output Y (see
/// <see cref="OnnxModel"/>): GlobalAveragePool or GlobalMaxPool for a global pooling, else MaxPool or AveragePool
/// with the row's window, strides, padding, dilations, ceil mode and (for AveragePool) count_include_pad.
/// </summary>
public static class OnnxPoolModel
{
    public static byte[] Create(PoolLayer layer)
    {
        var geometry = Pool2DGeometry.Create(layer.Input, layer.Options with { Layout = TensorLayout.Nchw });
        var options = geometry.Options;
        bool average = options.Kind == PoolKind.Average;
        ProtoWriter node;
        if (options.Global)
        {
            node = OnnxModel.Node("pool", average ? "GlobalAveragePool" : "GlobalMaxPool", "X");
        }
        else
        {
            var pads = geometry.Padding;
            node = OnnxModel.Node("pool", average ? "AveragePool" : "MaxPool", "X")
                .IntsAttribute("kernel_shape", options.KernelHeight, options.KernelWidth)
                .IntsAttribute("strides", options.StrideHeight, options.StrideWidth)
                .IntsAttribute("pads", pads.Top, pads.Left, pads.Bottom, pads.Right)
                .IntAttribute("ceil_mode", options.CeilMode ? 1 : 0);
            node = average
                ? node.IntAttribute("count_include_pad", options.CountIncludePad ? 1 : 0)
                : node.IntsAttribute("dilations", options.DilationHeight, options.DilationWidth);
        }
        return OnnxModel.Create(layer.Name, node, layer.Input, geometry.OutputShape);
    }
}
