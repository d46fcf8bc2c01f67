using System.Reflection;
using System.Text.Json;

namespace NativeConv.Tests.Support;

/// <summary>
/// The cases of Golden/torch-golden.json (written by tools/torch-golden/make_golden.py from real
/// PyTorch), turned into <see cref="ConvCase"/> and <see cref="PoolCase"/> values with PyTorch's
/// results. The file is embedded so the tests need no working-directory assumptions.
/// </summary>
internal static class TorchGolden
{
    private static readonly Lazy<JsonDocument> Document = new(Load);

    public static IEnumerable<string> Names(string op) =>
        Cases().Where(c => c.GetProperty("op").GetString() == op).Select(c => c.GetProperty("name").GetString()!);

    public static (ConvCase Case, float[] Expected) Conv(string name)
    {
        JsonElement c = Find(name);
        var shape = Shape(c);
        (int top, int bottom, int left, int right) = Pads(c);
        JsonElement activation = c.GetProperty("activation");
        var options = new Conv2DOptions(c.GetProperty("out_channels").GetInt32(), Pair(c, "kernel").H, Pair(c, "kernel").W)
        {
            StrideHeight = Pair(c, "stride").H,
            StrideWidth = Pair(c, "stride").W,
            DilationHeight = Pair(c, "dilation").H,
            DilationWidth = Pair(c, "dilation").W,
            Padding = Padding.Of(top, bottom, left, right),
            Groups = c.GetProperty("groups").GetInt32(),
            Layout = Layout(c),
            FilterLayout = c.GetProperty("filter_layout").GetString() == "hwio" ? FilterLayout.Hwio : FilterLayout.Oihw,
            Activation = activation.GetProperty("kind").GetString() switch
            {
                "none" => Activation.None,
                "relu" => Activation.Relu,
                "clamp" => Activation.Clamp(activation.GetProperty("min").GetSingle(), activation.GetProperty("max").GetSingle()),
                string other => throw new InvalidDataException($"unknown activation '{other}' in golden case '{name}'"),
                null => throw new InvalidDataException($"missing activation kind in golden case '{name}'"),
            },
            Accumulate = c.GetProperty("accumulate").GetBoolean(),
        };

        float[] expected = Floats(c, "expected");
        var geometry = Conv2DGeometry.Create(shape, options);
        float[] initial = options.Accumulate ? Floats(c, "initial_output") : new float[expected.Length];
        var conv = new ConvCase(shape, options, geometry.OutputShape, Floats(c, "input"), Floats(c, "filter"), Floats(c, "bias"), initial, 2);
        return (conv, expected);
    }

    public static (PoolCase Case, float[] Expected) Pool(string name)
    {
        JsonElement c = Find(name);
        var shape = Shape(c);
        PoolKind kind = c.GetProperty("kind").GetString() == "max" ? PoolKind.Max : PoolKind.Average;
        Pool2DOptions options;
        if (c.GetProperty("global").GetBoolean())
        {
            options = (kind == PoolKind.Max ? Pool2DOptions.GlobalMax : Pool2DOptions.GlobalAverage) with { Layout = Layout(c) };
        }
        else
        {
            (int top, int bottom, int left, int right) = Pads(c);
            options = new Pool2DOptions(kind, Pair(c, "kernel").H, Pair(c, "kernel").W)
            {
                StrideHeight = Pair(c, "stride").H,
                StrideWidth = Pair(c, "stride").W,
                DilationHeight = Pair(c, "dilation").H,
                DilationWidth = Pair(c, "dilation").W,
                Padding = Padding.Of(top, bottom, left, right),
                CeilMode = c.GetProperty("ceil_mode").GetBoolean(),
                CountIncludePad = c.GetProperty("count_include_pad").GetBoolean(),
                Layout = Layout(c),
            };
        }

        var geometry = Pool2DGeometry.Create(shape, options);
        return (new PoolCase(shape, options, geometry.OutputShape, Floats(c, "input"), 2), Floats(c, "expected"));
    }

    private static IEnumerable<JsonElement> Cases() => Document.Value.RootElement.GetProperty("cases").EnumerateArray();

    private static JsonElement Find(string name) =>
        Cases().Single(c => c.GetProperty("name").GetString() == name);

    private static TensorShape Shape(JsonElement c) => new(
        c.GetProperty("n").GetInt32(), c.GetProperty("c").GetInt32(), c.GetProperty("h").GetInt32(), c.GetProperty("w").GetInt32());

    private static TensorLayout Layout(JsonElement c) =>
        c.GetProperty("layout").GetString() == "nhwc" ? TensorLayout.Nhwc : TensorLayout.Nchw;

    private static (int H, int W) Pair(JsonElement c, string property)
    {
        JsonElement pair = c.GetProperty(property);
        return (pair[0].GetInt32(), pair[1].GetInt32());
    }

    private static (int Top, int Bottom, int Left, int Right) Pads(JsonElement c)
    {
        JsonElement pad = c.GetProperty("pad");
        return (pad[0].GetInt32(), pad[1].GetInt32(), pad[2].GetInt32(), pad[3].GetInt32());
    }

    // JSON has no NaN; the generator writes it as null.
    private static float[] Floats(JsonElement c, string property) =>
        [.. c.GetProperty(property).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? float.NaN : v.GetSingle())];

    private static JsonDocument Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("torch-golden.json")
            ?? throw new InvalidOperationException("torch-golden.json is not embedded in the test assembly");
        return JsonDocument.Parse(stream);
    }
}
