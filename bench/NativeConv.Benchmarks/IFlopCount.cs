namespace NativeConv.Benchmarks;

/// <summary>A benchmark that knows how many floating-point operations one invocation performs.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations of one benchmark invocation, for the current parameters.</summary>
    double Flops { get; }
}
