using System.Text.RegularExpressions;

namespace NativeConv.Tests;

/// <summary>Library information and the process-wide ISA cap.</summary>
[Collection(IsaCollection.Name)]
public sealed class NativeLibraryTests
{
    [Fact]
    public void Version_is_major_minor_patch()
    {
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+"), NativeConvLibrary.Version);
        TestContext.Current.TestOutputHelper?.WriteLine($"native library {NativeConvLibrary.Version}");
    }

    [Fact]
    public void Active_ISA_is_one_the_CPU_supports()
    {
        Isa active = NativeConvLibrary.ActiveIsa;
        Isa best = NativeConvLibrary.BestSupportedIsa;
        TestContext.Current.TestOutputHelper?.WriteLine($"active {active}, best supported {best}");
        Assert.True(active <= best, $"active {active} is above the best supported {best}");
        Assert.True(IsaCap.IsSupported(active), $"active {active} is not supported on a CPU whose best is {best}");
    }

    [Fact]
    public void SetMaxIsa_caps_and_restores()
    {
        Isa before = NativeConvLibrary.ActiveIsa;
        try
        {
            NativeConvLibrary.SetMaxIsa(Isa.Scalar);
            Assert.Equal(Isa.Scalar, NativeConvLibrary.ActiveIsa);
            using (var plan = new Conv2DPlan(new TensorShape(1, 1, 3, 3), new Conv2DOptions(1, 3), new float[9]))
            {
                Assert.Contains("scalar", plan.KernelName, StringComparison.Ordinal);
            }

            using (var pool = new Pool2DPlan(new TensorShape(1, 1, 3, 3), new Pool2DOptions(PoolKind.Max, 3)))
            {
                Assert.Contains("scalar", pool.KernelName, StringComparison.Ordinal);
            }
        }
        finally
        {
            NativeConvLibrary.SetMaxIsa(before);
        }

        Assert.Equal(before, NativeConvLibrary.ActiveIsa);
    }

    [Fact]
    public void A_cap_above_the_hardware_has_no_effect()
    {
        Isa before = NativeConvLibrary.ActiveIsa;
        try
        {
            foreach (Isa isa in Enum.GetValues<Isa>())
            {
                NativeConvLibrary.SetMaxIsa(isa);
                Assert.True(IsaCap.IsSupported(NativeConvLibrary.ActiveIsa), $"cap {isa} activated {NativeConvLibrary.ActiveIsa}");
            }
        }
        finally
        {
            NativeConvLibrary.SetMaxIsa(before);
        }
    }

    [Fact]
    public void SetMaxIsa_rejects_undefined_values()
    {
        Isa before = NativeConvLibrary.ActiveIsa;
        Assert.ThrowsAny<ArgumentException>(() => NativeConvLibrary.SetMaxIsa((Isa)42));
        Assert.ThrowsAny<ArgumentException>(() => NativeConvLibrary.SetMaxIsa((Isa)(-1)));
        Assert.Equal(before, NativeConvLibrary.ActiveIsa);
    }
}
