namespace NativeConv.Tests.Support;

/// <summary>
/// Tests that change the process-wide ISA cap (<see cref="NativeConvLibrary.SetMaxIsa"/>) or assert
/// on the active ISA. xunit runs a collection with parallelization disabled after all parallel
/// collections and alone, so no other test sees the cap change under it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsaCollection
{
    public const string Name = "Process-wide ISA cap";
}
