#!/usr/bin/env bash
# NativeConv beside oneDNN (C, bench/native) and ONNX Runtime (.NET, bench/NativeConv.Benchmarks) on the
# convolution and pooling suites, and its reorders beside memcpy; writes
# bench/results/{conv,pool,reorder,plan,fma,run-info} and prints the tables.
# usage: bench/run.sh [--quick|--full]   (./build.sh bench calls it; --full is the default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
results=$root/bench/results
build=$root/build/bench-native

reps=15 min_ms=30 ort_reps=9 fma_iterations=50000000
case ${1:-} in
  --quick) reps=3 min_ms=10 ort_reps=3 fma_iterations=10000000 ;;
  --full | '') ;;
  *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;;
esac

cmake -S bench/native -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 >/dev/null

mkdir -p "$results"
echo "row,layout,threads,isa,nativeconv_gflops,peer,peer_gflops,ratio" >"$results/conv.csv"
echo "row,layout,threads,isa,nativeconv_gbps,peer,peer_gbps,ratio" >"$results/pool.csv"
echo "row,layout,threads,isa,nativeconv_gbps,peer,peer_gbps,ratio" >"$results/reorder.csv"
echo "row,layout,isa,kernel,plan_ms" >"$results/plan.csv"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode: ${1:---full} ($reps repetitions of >= $min_ms ms; ONNX Runtime: $ort_reps)"
  kernels_dirty=$(git status --porcelain -- native/src | head -n 1)
  echo "commit: $(git log -1 --format=%h)${kernels_dirty:+ with uncommitted kernel changes}"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$results/run-info.txt"

if [[ -x $build/fma_peak ]]; then
  echo "== FMA peak"
  "$build/fma_peak" "$fma_iterations" | tee "$results/fma.csv"
fi

# oneDNN reads ONEDNN_MAX_CPU_ISA once per process, so each ISA is a process of its own.
for isa in best avx2; do
  caps=()
  [[ $isa == avx2 ]] && caps=(NATIVECONV_MAX_ISA=avx2 ONEDNN_MAX_CPU_ISA=AVX2)
  echo "== convolution, ISA $isa"
  env "${caps[@]}" "$build/conv_vs_onednn" --reps "$reps" --min-ms "$min_ms" \
    --csv "$results/conv.csv" --plan-csv "$results/plan.csv"
  echo "== pooling, ISA $isa"
  env "${caps[@]}" "$build/pool_vs_onednn" --reps "$reps" --min-ms "$min_ms" --csv "$results/pool.csv"
  echo "== reorders, ISA $isa"
  env "${caps[@]}" "$build/reorder_vs_memcpy" --reps "$reps" --min-ms "$min_ms" --csv "$results/reorder.csv"
done

echo "== ONNX Runtime (.NET)"
if dotnet build bench/NativeConv.Benchmarks/NativeConv.Benchmarks.csproj -c Release -v quiet -nologo >"$root/build/bench-dotnet.log" 2>&1; then
  dotnet bench/NativeConv.Benchmarks/bin/Release/net10.0/NativeConv.Benchmarks.dll \
    --compare-onnxruntime "$results/conv.csv" "$ort_reps" "$min_ms" ||
    echo "ONNX Runtime comparison failed: its rows are missing"
  dotnet bench/NativeConv.Benchmarks/bin/Release/net10.0/NativeConv.Benchmarks.dll \
    --compare-onnxruntime-pool "$results/pool.csv" "$ort_reps" "$min_ms" ||
    echo "ONNX Runtime pooling comparison failed: its rows are missing"
else
  echo "bench project failed to build: ONNX Runtime rows skipped. From build/bench-dotnet.log:"
  grep -m 3 ' error ' "$root/build/bench-dotnet.log" || true
fi

{
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "took: $SECONDS s"
} >>"$results/run-info.txt"
echo "== results ($results)"
cat "$results/run-info.txt"
column -t -s, "$results/conv.csv"
echo
column -t -s, "$results/pool.csv"
echo
column -t -s, "$results/reorder.csv"
echo
column -t -s, "$results/plan.csv"
