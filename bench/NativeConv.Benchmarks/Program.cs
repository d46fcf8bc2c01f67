using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NativeConv.Benchmarks;

// --compare-onnxruntime CSV [REPETITIONS [MIN_MS]]: the quick side-by-side run on the convolution suite that
// ./build.sh bench (bench/run.sh) uses, appending to conv.csv; --compare-onnxruntime-pool CSV [REPETITIONS [MIN_MS]]
// does the same on the pooling suite, appending to pool.csv.
// Anything else goes to BenchmarkDotNet: --filter, --job short and its other switches work as usual.
if (args.Length >= 2 && args[0] is "--compare-onnxruntime" or "--compare-onnxruntime-pool")
{
    int repetitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
    double minMilliseconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 20;
    return args[0] == "--compare-onnxruntime-pool"
        ? OnnxRuntimeComparison.RunPool(args[1], repetitions, minMilliseconds * 1e-3)
        : OnnxRuntimeComparison.RunConv(args[1], repetitions, minMilliseconds * 1e-3);
}

BenchmarkSwitcher.FromAssembly(typeof(ConvBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddColumn(new GFlopsColumn()));
return 0;
