using Google.Protobuf;
using NativeConv.Models;
using Onnx;

namespace NativeConv.Onnx;

/// <summary>
/// Loads a chain-shaped ONNX convolutional network into a <see cref="Sequential"/> model (NCHW, as ONNX defines
/// its tensors), weights included.
/// </summary>
/// <remarks>
/// <para>
/// Supported operators (default ONNX domain): <c>Conv</c>, <c>Relu</c>, <c>Clip</c>, <c>MaxPool</c>,
/// <c>AveragePool</c>, <c>GlobalAveragePool</c>, <c>GlobalMaxPool</c>, <c>Flatten</c> (axis 1) and <c>Add</c> of a
/// per-channel or scalar constant right after a <c>Conv</c> (folded into its bias). Weights and constants must be
/// float initializers stored in the file.
/// </para>
/// <para>
/// Chain-shaped means every node reads the previous node's output (the first reads the graph's input) and nothing
/// else but initializers, and the last node's output is the graph's output. Anything else, such as a residual
/// <c>Add</c> of two activations, is rejected with a <see cref="NotSupportedException"/> naming the node.
/// </para>
/// </remarks>
public static class OnnxModelLoader
{
    /// <summary>Loads the ONNX model in the file at <paramref name="path"/>.</summary>
    /// <param name="path">An <c>.onnx</c> file.</param>
    /// <returns>The model; call <see cref="Sequential.Build"/> with the input shape to run it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid ONNX model.</exception>
    /// <exception cref="NotSupportedException">
    /// The graph uses an operator, attribute or shape this loader does not support, or is not chain-shaped; the message
    /// names the operator and the node.
    /// </exception>
    public static Sequential Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Loads an ONNX model from <paramref name="stream"/>, read to its end.</summary>
    /// <param name="stream">The serialized <c>ModelProto</c>.</param>
    /// <returns>The model; call <see cref="Sequential.Build"/> with the input shape to run it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid ONNX model.</exception>
    /// <exception cref="NotSupportedException">
    /// The graph uses an operator, attribute or shape this loader does not support, or is not chain-shaped; the message
    /// names the operator and the node.
    /// </exception>
    public static Sequential Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"The data is not an ONNX model: {e.Message}", e);
        }

        return Convert(model);
    }

    private static Sequential Convert(ModelProto model)
    {
        GraphProto graph = model.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        long opset = model.OpsetImport.Where(o => IsDefaultDomain(o.Domain)).Select(o => o.Version).DefaultIfEmpty(1).Max();
        var initializers = new Dictionary<string, TensorProto>();
        foreach (TensorProto initializer in graph.Initializer)
        {
            initializers[initializer.Name] = initializer;
        }

        // Before IR version 4 initializers were also listed as graph inputs.
        string[] inputs = graph.Input.Select(i => i.Name).Where(n => !initializers.ContainsKey(n)).ToArray();
        if (inputs.Length != 1)
        {
            throw new NotSupportedException($"The graph has {inputs.Length} non-constant inputs; a chain-shaped graph has exactly one.");
        }

        var layers = new List<Layer>();
        string current = inputs[0];
        for (int index = 0; index < graph.Node.Count; index++)
        {
            NodeProto node = graph.Node[index];
            var context = new NodeContext(node, index, initializers, opset);
            if (!IsDefaultDomain(node.Domain))
            {
                throw new NotSupportedException($"unsupported operator '{node.Domain}.{node.OpType}' in node '{context.Name}'");
            }

            if (node.Output.Count(o => o.Length > 0) != 1)
            {
                throw new NotSupportedException(
                    $"node '{context.Name}' ({node.OpType}) has {node.Output.Count} outputs; only single-output nodes are supported.");
            }

            AddLayer(layers, context, current);
            current = node.Output[0];
        }

        if (layers.Count == 0)
        {
            throw new NotSupportedException("The graph has no nodes.");
        }

        if (graph.Output.Count != 1 || graph.Output[0].Name != current)
        {
            throw new NotSupportedException(
                $"The graph's outputs ({string.Join(", ", graph.Output.Select(o => $"'{o.Name}'"))}) are not just the last node's output '{current}'.");
        }

        var sequential = new Sequential(TensorLayout.Nchw);
        foreach (Layer layer in layers)
        {
            sequential.Add(layer);
        }

        return sequential;
    }

    private static void AddLayer(List<Layer> layers, NodeContext node, string current)
    {
        switch (node.Proto.OpType)
        {
            case "Conv":
                node.RequireDataInput(current, 0);
                layers.Add(Conv(node));
                break;
            case "Relu":
                node.RequireDataInput(current, 0);
                layers.Add(new ActivationLayer(Activation.Relu, node.Name));
                break;
            case "Clip":
                node.RequireDataInput(current, 0);
                layers.Add(Clip(node));
                break;
            case "MaxPool":
            case "AveragePool":
                node.RequireDataInput(current, 0);
                layers.Add(Pool(node));
                break;
            case "GlobalAveragePool":
                node.RequireDataInput(current, 0);
                layers.Add(new Pool2DLayer(Pool2DOptions.GlobalAverage, node.Name));
                break;
            case "GlobalMaxPool":
                node.RequireDataInput(current, 0);
                layers.Add(new Pool2DLayer(Pool2DOptions.GlobalMax, node.Name));
                break;
            case "Flatten":
                node.RequireDataInput(current, 0);
                if (node.Attributes.Int("axis", 1) != 1)
                {
                    throw new NotSupportedException($"node '{node.Name}' (Flatten) has axis {node.Attributes.Int("axis", 1)}; only axis 1 is supported.");
                }

                layers.Add(new FlattenLayer(node.Name));
                break;
            case "Add":
                FoldAdd(layers, node, current);
                break;
            default:
                throw new NotSupportedException($"unsupported operator '{node.Proto.OpType}' in node '{node.Name}'");
        }
    }

    private static Conv2DLayer Conv(NodeContext node)
    {
        TensorProto weights = node.Initializer(1, "weights (W)");
        if (weights.Dims.Count != 4)
        {
            throw new NotSupportedException($"node '{node.Name}' (Conv) has {weights.Dims.Count - 2}-D weights; only 2-D convolution is supported.");
        }

        float[] bias = node.Proto.Input.Count > 2 && node.Proto.Input[2].Length > 0 ? OnnxTensors.Floats(node.Initializer(2, "bias (B)")) : [];
        OnnxAttributes a = node.Attributes;
        int[] strides = a.Ints("strides", 2, 1);
        int[] dilations = a.Ints("dilations", 2, 1);
        var options = new Conv2DOptions(checked((int)weights.Dims[0]), checked((int)weights.Dims[2]), checked((int)weights.Dims[3]))
        {
            StrideHeight = strides[0],
            StrideWidth = strides[1],
            DilationHeight = dilations[0],
            DilationWidth = dilations[1],
            Groups = checked((int)a.Int("group", 1)),
            Padding = a.Padding(),
        };
        return new Conv2DLayer(options, OnnxTensors.Floats(weights), bias, node.Name);
    }

    private static ActivationLayer Clip(NodeContext node)
    {
        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (node.Opset < 11)
        {
            min = node.Attributes.Float("min", min);
            max = node.Attributes.Float("max", max);
        }
        else
        {
            // From opset 11 the bounds are optional inputs; an empty name skips one.
            if (node.Proto.Input.Count > 1 && node.Proto.Input[1].Length > 0)
            {
                min = OnnxTensors.Scalar(node.Initializer(1, "min"));
            }

            if (node.Proto.Input.Count > 2 && node.Proto.Input[2].Length > 0)
            {
                max = OnnxTensors.Scalar(node.Initializer(2, "max"));
            }
        }

        return new ActivationLayer(Activation.Clamp(min, max), node.Name);
    }

    private static Pool2DLayer Pool(NodeContext node)
    {
        OnnxAttributes a = node.Attributes;
        if (!a.Has("kernel_shape"))
        {
            throw new InvalidDataException($"node '{node.Name}' ({node.Proto.OpType}) has no kernel_shape.");
        }

        int[] kernel = a.Ints("kernel_shape", 2, 1);
        int[] strides = a.Ints("strides", 2, 1);
        int[] dilations = a.Ints("dilations", 2, 1);
        bool max = node.Proto.OpType == "MaxPool";
        var options = new Pool2DOptions(max ? PoolKind.Max : PoolKind.Average, kernel[0], kernel[1])
        {
            // ONNX strides default to 1, not to the window as in PyTorch.
            StrideHeight = strides[0],
            StrideWidth = strides[1],
            DilationHeight = dilations[0],
            DilationWidth = dilations[1],
            Padding = a.Padding(),
            CeilMode = a.Int("ceil_mode", 0) != 0,

            // ONNX's count_include_pad defaults to 0, unlike PyTorch's.
            CountIncludePad = !max && a.Int("count_include_pad", 0) != 0,
        };
        return new Pool2DLayer(options, node.Name);
    }

    // A constant added to a convolution's output per channel (shape [C, 1, 1] or [1, C, 1, 1]) or everywhere (one
    // value) is the same as a larger bias, so it is folded into the convolution. Anything else is not a chain.
    private static void FoldAdd(List<Layer> layers, NodeContext node, string current)
    {
        if (node.Proto.Input.Count != 2)
        {
            throw new InvalidDataException($"node '{node.Name}' (Add) has {node.Proto.Input.Count} inputs instead of 2.");
        }

        int dataInput = node.Proto.Input[0] == current ? 0 : 1;
        node.RequireDataInput(current, dataInput);
        string constantName = node.Proto.Input[1 - dataInput];
        if (!node.Initializers.TryGetValue(constantName, out TensorProto? constant) || layers.Count == 0 || layers[^1] is not Conv2DLayer conv)
        {
            throw new NotSupportedException(
                $"unsupported use of operator 'Add' in node '{node.Name}': only a constant added right after a Conv can be loaded " +
                "(an Add of two activations, as in a residual block, is not chain-shaped).");
        }

        int channels = conv.Options.OutChannels;
        float[] values = OnnxTensors.Floats(constant);
        long[] dims = [.. constant.Dims];
        bool scalar = values.Length == 1 && dims.All(d => d == 1);
        bool perChannel = dims.Length is 3 or 4 && dims[^3] == channels && dims[^2] == 1 && dims[^1] == 1 && (dims.Length == 3 || dims[0] == 1);
        if (!scalar && !perChannel)
        {
            throw new NotSupportedException(
                $"unsupported use of operator 'Add' in node '{node.Name}': the constant '{constantName}' has dims " +
                $"[{string.Join(", ", dims)}]; only a single value or one value per channel ([{channels}, 1, 1]) can be folded into the Conv.");
        }

        var bias = new float[channels];
        conv.Bias.CopyTo(bias);
        for (int k = 0; k < channels; k++)
        {
            bias[k] += scalar ? values[0] : values[k];
        }

        layers[^1] = new Conv2DLayer(conv.Options, conv.Filter, bias, conv.Name);
    }

    private static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";
}
