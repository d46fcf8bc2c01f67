using System.Numerics.Tensors;
using NativeConv;
using NativeConv.Models;

// A 3x3 image holding 1..9 and a 2x2 kernel of ones: each output sums one 2x2 window.
float[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
var shape = new TensorShape(1, 1, 3, 3);
float[] expected = [12, 16, 24, 28];

var failures = new List<string>();
void Check(string what, ReadOnlySpan<float> actual)
{
    if (!actual.SequenceEqual(expected))
    {
        failures.Add($"{what}: [{string.Join(", ", actual.ToArray())}] instead of [{string.Join(", ", expected)}]");
    }
}

var options = new Conv2DOptions(1, 2);
float[] output = new float[4];
Convolution.Conv2D(shape, options, image, [1, 1, 1, 1], [], output);
Check("Convolution.Conv2D", output);

using (var plan = new Conv2DPlan(shape, options, [1, 1, 1, 1]))
{
    float[] fromTensor = new float[4];
    plan.Run(new ReadOnlyTensorSpan<float>(image, [1, 1, 3, 3]), new TensorSpan<float>(fromTensor, [1, 1, 2, 2]));
    Check("Conv2DPlan.Run on tensors", fromTensor);
}

float[] filtered = new float[4];
Filters.Apply(shape, image, Kernel2D.Box(2), filtered, Padding.Valid);
for (int i = 0; i < filtered.Length; i++)
{
    filtered[i] *= 4;
}
Check("Filters.Apply (box x 4)", filtered);

using (SequentialPlan model = new Sequential().Conv2D(options, [1, 1, 1, 1]).Relu().Build(shape))
{
    Check("Sequential", model.Run(image));
}

Console.WriteLine($"NativeConv {NativeConvLibrary.Version} ({NativeConvLibrary.ActiveIsa}) under Native AOT");
foreach (string failure in failures)
{
    Console.WriteLine($"FAILED {failure}");
}
Console.WriteLine(failures.Count == 0 ? "aot sample: ok" : "aot sample: FAILED");
return failures.Count == 0 ? 0 : 1;
