namespace NativeConv.Tests;

/// <summary>
/// The reference in every layout against itself in NCHW: its blocked and channels-last results, reordered to NCHW by
/// the tests' own loops (<see cref="Layouts"/>), are bitwise its NCHW results, with zeros in the blocked padding lanes.
/// An oracle independent of the native code and of the reference's own layout indexing.
/// </summary>
public sealed class ReferenceLayoutTests
{
    private const int RandomCases = 300;

    /// <summary>
    /// Any layout's reference result, reordered to NCHW by the tests' own loops, is bitwise the NCHW reference result:
    /// the reference sums the same terms in the same order whatever the memory order.
    /// </summary>
    [Fact]
    public void Reference_convolution_in_every_layout_is_the_nchw_result_reordered()
    {
        ConvCaseGen.Any.Sample(c =>
        {
            TensorLayout layout = c.Options.Layout;
            TensorShape output = c.ExpectedOutputShape;
            Conv2DOptions nchwOptions = c.Options with { Layout = TensorLayout.Nchw };
            float[] input = Layouts.ToNchw(c.Input, c.InputShape, layout);
            float[] initial = Layouts.ToNchw(c.InitialOutput, output, layout);
            float[] expected = (float[])initial.Clone();
            ReferenceConvolution.Conv2D(c.InputShape, nchwOptions, input, c.Filter, c.Bias, expected);

            foreach (TensorLayout other in Enum.GetValues<TensorLayout>())
            {
                float[] actual = Layouts.FromNchw(initial, output, other, float.NaN);
                float[] otherInput = Layouts.FromNchw(input, c.InputShape, other, float.NaN);
                ReferenceConvolution.Conv2D(c.InputShape, c.Options with { Layout = other }, otherInput, c.Filter, c.Bias, actual);
                Assert.Equal(expected, Layouts.ToNchw(actual, output, other));
                BlockedLayoutTests.AssertZeroPadding(actual, output, other, () => $"reference {other}, {c}");
            }
        }, iter: RandomCases);
    }

    /// <summary>As for convolution; the averages too are summed in the same order in every layout.</summary>
    [Fact]
    public void Reference_pooling_in_every_layout_is_the_nchw_result_reordered()
    {
        PoolCaseGen.Any.Sample(c =>
        {
            TensorLayout layout = c.Options.Layout;
            TensorShape output = c.ExpectedOutputShape;
            float[] input = Layouts.ToNchw(c.Input, c.InputShape, layout);
            float[] expected = new float[output.ElementCountAsInt()];
            ReferencePooling.Pool2D(c.InputShape, c.Options with { Layout = TensorLayout.Nchw }, input, expected);

            foreach (TensorLayout other in Enum.GetValues<TensorLayout>())
            {
                float[] actual = new float[output.ElementCountAsInt(other)];
                Array.Fill(actual, float.NaN);
                ReferencePooling.Pool2D(c.InputShape, c.Options with { Layout = other }, Layouts.FromNchw(input, c.InputShape, other, float.NaN), actual);
                Assert.Equal(expected, Layouts.ToNchw(actual, output, other));
                BlockedLayoutTests.AssertZeroPadding(actual, output, other, () => $"reference {other}, {c}");
            }
        }, iter: RandomCases);
    }
}
