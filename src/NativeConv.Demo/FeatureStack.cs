using NativeConv.Models;

namespace NativeConv.Demo;

/// <summary>
/// A small VGG-style stack with random weights, run block by block so that each block's feature maps can be
/// drawn: block 1 is conv 3→16 + ReLU, blocks 2 and 3 are max pool 2 then conv + ReLU (16→32, 32→64).
/// </summary>
internal static class FeatureStack
{
    private static readonly int[] Widths = [16, 32, 64];

    /// <summary>Runs the blocks on <paramref name="image"/> (NCHW, batch 1) and writes features-block{n}.png; returns every planned layer.</summary>
    public static List<PlannedLayer> Run(float[] image, TensorShape shape, string outputDir)
    {
        var random = new Random(7);
        var layers = new List<PlannedLayer>();
        float[] activations = image;
        for (int block = 0; block < Widths.Length; block++)
        {
            var model = new Sequential();
            if (block > 0)
            {
                model.Add(new Pool2DLayer(new Pool2DOptions(PoolKind.Max, 2), $"pool{block + 1}"));
            }
            int inChannels = shape.Channels, outChannels = Widths[block];
            model.Add(new Conv2DLayer(new Conv2DOptions(outChannels, 3) { Padding = 1 }, HeWeights(random, outChannels, inChannels), ZeroMeanBias(random, outChannels), $"conv{block + 1}"));
            model.Add(new ActivationLayer(Activation.Relu, $"relu{block + 1}"));

            using SequentialPlan plan = model.Build(shape);
            // The table shows the second run: the first also pays for touching the fresh buffers.
            plan.Run(activations);
            activations = plan.Run(activations);
            shape = plan.OutputShape;
            layers.AddRange(plan.Layers);
            PngWriter.WriteMosaic(Path.Combine(outputDir, $"features-block{block + 1}.png"), activations, shape.Channels, shape.Height, shape.Width);
        }
        return layers;
    }

    // Zero-mean weights with variance 2 / fan-in, so the activations keep their scale from block to block.
    private static float[] HeWeights(Random random, int outChannels, int inChannels)
    {
        int fanIn = inChannels * 9;
        double scale = Math.Sqrt(2.0 / fanIn) * Math.Sqrt(3);
        return Enumerable.Range(0, outChannels * fanIn).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    private static float[] ZeroMeanBias(Random random, int channels) =>
        Enumerable.Range(0, channels).Select(_ => (float)((random.NextDouble() - 0.5) * 0.1)).ToArray();
}
