namespace NativeConv.Tests.Support;

/// <summary>Runs one <see cref="ConvCase"/> through the one-shot call, a plan and the reference, and compares.</summary>
internal static class ConvParity
{
    public static void Check(ConvCase c, ParityStats stats)
    {
        var geometry = Conv2DGeometry.Create(c.InputShape, c.Options);
        Assert.Equal(c.ExpectedOutputShape, geometry.OutputShape);

        float[] expected = (float[])c.InitialOutput.Clone();
        ReferenceConvolution.Conv2D(c.InputShape, c.Options, c.Input, c.Filter, c.Bias, expected);
        float[] bound = ErrorBound(c);

        float[] oneShot = (float[])c.InitialOutput.Clone();
        Convolution.Conv2D(c.InputShape, c.Options, c.Input, c.Filter, c.Bias, oneShot, c.MaxThreads);
        double worst = Tolerance.Check(expected, oneShot, bound, () => $"one-shot, {c}");

        using (var plan = new Conv2DPlan(c.InputShape, c.Options, c.Filter, c.Bias) { MaxThreads = c.MaxThreads })
        {
            Assert.Equal(c.ExpectedOutputShape, plan.OutputShape);
            stats.AddKernel(plan.KernelName);
            float[] planned = (float[])c.InitialOutput.Clone();
            plan.Run(c.Input, planned);
            worst = Math.Max(worst, Tolerance.Check(expected, planned, bound, () => $"plan {plan.KernelName}, {c}"));
        }

        stats.AddCase(worst, c.ToString);
    }

    /// <summary>
    /// Σ|x·w| per output from a second reference pass over absolute values (no bias, activation or
    /// accumulation), plus |bias| and, when accumulating, |old output|.
    /// </summary>
    public static float[] ErrorBound(ConvCase c)
    {
        Conv2DOptions plain = c.Options with { Activation = Activation.None, Accumulate = false };
        float[] bound = new float[c.InitialOutput.Length];
        ReferenceConvolution.Conv2D(c.InputShape, plain, Tolerance.Abs(c.Input), Tolerance.Abs(c.Filter), ReadOnlySpan<float>.Empty, bound);

        TensorShape output = c.ExpectedOutputShape;
        for (int n = 0; n < output.Batch; n++)
        {
            for (int k = 0; k < output.Channels; k++)
            {
                for (int p = 0; p < output.Height; p++)
                {
                    for (int q = 0; q < output.Width; q++)
                    {
                        int i = Layouts.Index(c.Options.Layout, output, n, k, p, q);
                        if (c.Bias.Length > 0)
                        {
                            bound[i] += Math.Abs(c.Bias[k]);
                        }

                        if (c.Options.Accumulate)
                        {
                            bound[i] += Math.Abs(c.InitialOutput[i]);
                        }
                    }
                }
            }
        }

        // Blocked padding lanes keep a bound of 0: they must be exactly zero whatever the output held before.
        return bound;
    }
}
