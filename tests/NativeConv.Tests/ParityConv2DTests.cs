namespace NativeConv.Tests;

/// <summary>
/// Native convolution (one-shot and plan) against the managed reference, once per ISA the machine
/// has: thousands of random shapes from <see cref="ConvCaseGen"/> plus the hand-picked
/// <see cref="ConvEdgeCases"/>.
/// </summary>
[Collection(IsaCollection.Name)]
public sealed class ParityConv2DTests
{
    private const int RandomCases = 2000;

    [Theory]
    [MemberData(nameof(IsaCap.All), MemberType = typeof(IsaCap))]
    public void Native_matches_the_reference(Isa isa)
    {
        Assert.SkipUnless(IsaCap.IsSupported(isa), $"this CPU cannot run {isa}");
        var stats = new ParityStats();
        using (new IsaCap(isa))
        {
            foreach (ConvCase edge in ConvEdgeCases.All())
            {
                ConvParity.Check(edge, stats);
            }

            ConvCaseGen.Any.Sample(c => ConvParity.Check(c, stats), iter: RandomCases);
        }

        stats.Report($"Conv2D parity, ISA capped at {isa}");
        Assert.True(stats.Cases >= RandomCases, $"only {stats.Cases} cases ran");
        Assert.InRange(stats.WorstRelativeError, 0, Tolerance.Relative);
    }
}
