using System.Runtime.InteropServices;
using Google.Protobuf;
using NativeConv.Models;
using NativeConv.Onnx;
using Onnx;

namespace NativeConv.Tests;

/// <summary>ONNX files built here from the ONNX schema types, loaded, run, and compared with the reference chained by hand.</summary>
public sealed class OnnxModelLoaderTests
{
    private static readonly TensorShape Input = new(2, 3, 20, 20);
    private static readonly float[] W1 = TestData.Pattern(8 * 3 * 3 * 3, 51).Select(v => v * 0.3f).ToArray();
    private static readonly float[] B1 = TestData.Pattern(8, 52);
    private static readonly float[] W2 = TestData.Pattern(16 * 8 * 3 * 3, 53).Select(v => v * 0.2f).ToArray();
    private static readonly float[] Shift = TestData.Pattern(16, 54);

    [Fact]
    public void A_small_cnn_built_from_the_onnx_schema_loads_runs_and_matches_the_reference()
    {
        // Conv(pads 1) → Relu → MaxPool 2 → Conv(stride 2, SAME_UPPER, no bias) → Add per-channel constant →
        // Clip(0, 6) → AveragePool 3 (stride 1, pads 1, count_include_pad 0) → GlobalAveragePool → Flatten.
        GraphProto graph = Graph(
            [
                Node("Conv", "conv1", ["x", "w1", "b1"], "c1", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1)),
                Node("Relu", "relu1", ["c1"], "r1"),
                Node("MaxPool", "pool1", ["r1"], "p1", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)),
                Node("Conv", "conv2", ["p1", "w2"], "c2", Ints("strides", 2, 2), Text("auto_pad", "SAME_UPPER")),
                Node("Add", "shift", ["shift_c", "c2"], "a2"),
                Node("Clip", "clip", ["a2", "zero", "six"], "k2"),
                Node("AveragePool", "pool2", ["k2"], "p2", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1)),
                Node("GlobalAveragePool", "gap", ["p2"], "g"),
                Node("Flatten", "flatten", ["g"], "y"),
            ],
            [
                Tensor("w1", [8, 3, 3, 3], W1, raw: true),
                Tensor("b1", [8], B1),
                Tensor("w2", [16, 8, 3, 3], W2),
                Tensor("shift_c", [1, 16, 1, 1], Shift, raw: true),
                Tensor("zero", [], [0f]),
                Tensor("six", [], [6f]),
            ]);
        string path = Path.Combine(Path.GetTempPath(), $"nativeconv-small-cnn-{Environment.ProcessId}.onnx");
        File.WriteAllBytes(path, Model(graph).ToByteArray());
        Sequential model;
        try
        {
            model = OnnxModelLoader.Load(path);
        }
        finally
        {
            File.Delete(path);
        }

        // The per-channel Add is folded into conv2's bias.
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "clip", "pool2", "gap", "flatten"], model.Layers.Select(l => l.Name));
        using SequentialPlan plan = model.Build(Input);
        Assert.Equal(new TensorShape(2, 16, 1, 1), plan.OutputShape);
        Assert.Equal(["conv1+relu1", "pool1", "conv2+clip", "pool2", "gap", "flatten"], plan.Layers.Select(l => l.Name));

        float[] input = TestData.Pattern((int)Input.ElementCount, 50);
        float[] actual = plan.Run(input);
        float[] expected = ReferenceChain(input);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, actual {actual[i]}");
        }
    }

    [Fact]
    public void Before_opset_11_clip_bounds_are_attributes()
    {
        GraphProto graph = Graph(
            [
                Node("Conv", string.Empty, ["x", "w1", "b1"], "c1", Ints("pads", 0, 1, 2, 1)),
                Node("Clip", "clip", ["c1"], "k1", Number("min", -0.5f), Number("max", 0.25f)),
                Node("GlobalMaxPool", "gmp", ["k1"], "y"),
            ],
            [Tensor("w1", [8, 3, 3, 3], W1), Tensor("b1", [8], B1)]);
        Sequential model = OnnxModelLoader.Load(new MemoryStream(Model(graph, opset: 6).ToByteArray()));
        Assert.Equal("#0 (Conv, unnamed)", model.Layers[0].Name);
        Assert.Equal(Activation.Clamp(-0.5f, 0.25f), Assert.IsType<ActivationLayer>(model.Layers[1]).Activation);

        using SequentialPlan plan = model.Build(Input);
        float[] input = TestData.Pattern((int)Input.ElementCount, 55);
        TensorShape shape = Input;
        float[] expected = Conv(ref shape, input, new Conv2DOptions(8, 3) { Padding = Padding.Of(0, 2, 1, 1), Activation = Activation.Clamp(-0.5f, 0.25f) }, W1, B1);
        expected = Pool(ref shape, expected, Pool2DOptions.GlobalMax);
        float[] actual = plan.Run(input);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5, $"element {i}: expected {expected[i]}, actual {actual[i]}");
        }
    }

    [Fact]
    public void An_unsupported_operator_is_named_with_its_node()
    {
        GraphProto graph = Graph(
            [
                Node("Conv", "conv1", ["x", "w1"], "c1"),
                Node("Sigmoid", "gate", ["c1"], "y"),
            ],
            [Tensor("w1", [8, 3, 3, 3], W1)]);
        var error = Assert.Throws<NotSupportedException>(() => OnnxModelLoader.Load(new MemoryStream(Model(graph).ToByteArray())));
        Assert.Equal("unsupported operator 'Sigmoid' in node 'gate'", error.Message);
    }

    [Fact]
    public void A_residual_add_is_rejected_as_not_chain_shaped()
    {
        GraphProto graph = Graph(
            [
                Node("Conv", "conv1", ["x", "w1"], "c1", Ints("pads", 1, 1, 1, 1)),
                Node("Add", "residual", ["c1", "x"], "y"),
            ],
            [Tensor("w1", [3, 3, 3, 3], W1[..81])]);
        var error = Assert.Throws<NotSupportedException>(() => OnnxModelLoader.Load(new MemoryStream(Model(graph).ToByteArray())));
        Assert.Contains("'residual'", error.Message);
        Assert.Contains("chain-shaped", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_invalid_data()
    {
        Assert.Throws<InvalidDataException>(() => OnnxModelLoader.Load(new MemoryStream([0xff, 0xff, 0xff, 0x07])));
    }

    private static float[] ReferenceChain(float[] input)
    {
        TensorShape shape = Input;
        float[] x = input;
        x = Conv(ref shape, x, new Conv2DOptions(8, 3) { Padding = 1, Activation = Activation.Relu }, W1, B1);
        x = Pool(ref shape, x, new Pool2DOptions(PoolKind.Max, 2));
        x = Conv(ref shape, x, new Conv2DOptions(16, 3) { Stride = 2, Padding = Padding.Same, Activation = Activation.Clamp(0, 6) }, W2, Shift);
        x = Pool(ref shape, x, new Pool2DOptions(PoolKind.Average, 3) { Stride = 1, Padding = 1, CountIncludePad = false });
        return Pool(ref shape, x, Pool2DOptions.GlobalAverage);
    }

    private static float[] Conv(ref TensorShape shape, float[] input, Conv2DOptions options, float[] filter, float[] bias)
    {
        var geometry = Conv2DGeometry.Create(shape, options);
        var output = new float[geometry.OutputLength];
        ReferenceConvolution.Conv2D(shape, options, input, filter, bias, output);
        shape = geometry.OutputShape;
        return output;
    }

    private static float[] Pool(ref TensorShape shape, float[] input, Pool2DOptions options)
    {
        var geometry = Pool2DGeometry.Create(shape, options);
        var output = new float[geometry.OutputLength];
        ReferencePooling.Pool2D(shape, options, input, output);
        shape = geometry.OutputShape;
        return output;
    }

    private static ModelProto Model(GraphProto graph, long opset = 13) => new()
    {
        IrVersion = 8,
        ProducerName = "NativeConv.Tests",
        Graph = graph,
        OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = opset } },
    };

    private static GraphProto Graph(NodeProto[] nodes, TensorProto[] initializers)
    {
        var graph = new GraphProto { Name = "small_cnn" };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Output.Add(new ValueInfoProto { Name = nodes[^1].Output[0] });
        return graph;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Number(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    // Weights may be stored as raw little-endian bytes or as a float list; the loader reads both.
    private static TensorProto Tensor(string name, long[] dims, float[] values, bool raw = false)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        if (raw)
        {
            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            tensor.FloatData.AddRange(values);
        }

        return tensor;
    }
}
