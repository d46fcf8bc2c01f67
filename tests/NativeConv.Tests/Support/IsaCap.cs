namespace NativeConv.Tests.Support;

/// <summary>Caps the ISA of plans created while it is alive and restores the previous cap on dispose.</summary>
internal sealed class IsaCap : IDisposable
{
    private readonly Isa _previous;

    public IsaCap(Isa isa)
    {
        _previous = NativeConvLibrary.ActiveIsa;
        NativeConvLibrary.SetMaxIsa(isa);
    }

    public static TheoryData<Isa> All => new(Enum.GetValues<Isa>());

    /// <summary>
    /// Whether this machine can run <paramref name="isa"/>. The enum is not an ordering across
    /// architectures (Neon is numerically above Avx512), so each value is decided on its own.
    /// </summary>
    public static bool IsSupported(Isa isa)
    {
        Isa best = NativeConvLibrary.BestSupportedIsa;
        return isa switch
        {
            Isa.Scalar => true,
            Isa.Avx2 => best is Isa.Avx2 or Isa.Avx512,
            Isa.Avx512 => best is Isa.Avx512,
            Isa.Neon => best is Isa.Neon,
            _ => false,
        };
    }

    public void Dispose() => NativeConvLibrary.SetMaxIsa(_previous);
}
