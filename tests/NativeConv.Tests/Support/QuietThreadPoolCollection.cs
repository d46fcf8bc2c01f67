namespace NativeConv.Tests.Support;

/// <summary>
/// Tests of the thread-pool executor that count allocations or want the pool to themselves. xunit runs a collection
/// with parallelization disabled after all parallel collections and alone, so other tests' work items neither delay
/// the helpers nor grow the pool's queue (which allocates on the thread that queues).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietThreadPoolCollection
{
    public const string Name = "Quiet thread pool";
}
