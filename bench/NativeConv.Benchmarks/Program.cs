using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NativeConv.Benchmarks;

// --filter, --job short and the other BenchmarkDotNet switches work as usual.
BenchmarkSwitcher.FromAssembly(typeof(ConvBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddColumn(new GFlopsColumn()));
