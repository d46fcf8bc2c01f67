#!/usr/bin/env bash
# One entry point for building, testing and running NativeConv. See README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
  cat <<'USAGE'
usage: ./build.sh <command> [options]
  build            build the C library (release preset) and the .NET solution (Release)
  test             every test: C tests (release and ASan+UBSan presets) and the .NET tests;
                   ends with the line "N passed, N failed"
  arm64            cross-build the C library for aarch64 and run its C tests under qemu-aarch64, then
                   again with NATIVECONV_MAX_ISA=scalar; ends with "N passed, N failed" (needs the
                   Debian packages gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user)
  pack             NuGet package in artifacts/packages holding the linux-x64 library and the
                   cross-built linux-arm64 one (same packages as arm64)
  package-test [feed]
                   install the NuGet package into a fresh consumer project and run it, and publish
                   samples/AotSample with Native AOT (0 warnings) and run it (tests/package/run.sh);
                   feed: a folder with the .nupkg (default: pack one first)
  demo [args]      run the demo (src/NativeConv.Demo) on its built-in example
  bench [--quick|--full] [--dotnet args...]
                   NativeConv beside oneDNN (bench/native; Debian libdnnl-dev) and ONNX Runtime, every
                   suite row, 1 and 2 threads, best ISA and AVX2, and its reorders beside memcpy; writes
                   bench/results/conv.csv, pool.csv and reorder.csv and prints the tables
                   (--quick: few repetitions, under 3 minutes; --full,
                   the default: more). --dotnet passes the rest to BenchmarkDotNet
                   (bench/NativeConv.Benchmarks), e.g. --dotnet --filter '*ExecutorOverhead*' --job short
  bindings [--check]
                   regenerate src/NativeConv/Interop/NativeMethods.g.cs from the C header with
                   tools/NativeConv.BindGen (restores libclang, ~60 MB); --check fails if it differs
  fuzz [--seconds N]
                   build the libFuzzer targets (fuzz preset: clang-14, ASan + UBSan), seed their
                   corpora and run each for N seconds (default 60); prints the executions and ends
                   with "N passed, N failed" (one per target; a crash, leak or mismatch fails it)
  valgrind         the release C tests under valgrind --leak-check=full (any error or definitely lost
                   byte fails the test); ends with "N passed, N failed"
  clean            remove build/ and every bin/ and obj/
USAGE
}

summary_file="$root/build/test-summary.txt"
passed=0
failed=0

# ctest prints "NN% tests passed, F tests failed out of T".
count_ctest() {
  local log=$1 line total fails
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [[ -z $line ]]; then failed=$((failed + 1)); return; fi
  fails=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  passed=$((passed + total - fails))
  failed=$((failed + fails))
}

# Microsoft.Testing.Platform ends each test module with a summary block of lines such as
# "  failed: 0" and "  succeeded: 649".
count_mtp() {
  local log=$1 f s
  f=$(awk '/^[[:space:]]+failed:[[:space:]]*[0-9]+/ {n += $2} END {print n + 0}' "$log")
  s=$(awk '/^[[:space:]]+succeeded:[[:space:]]*[0-9]+/ {n += $2} END {print n + 0}' "$log")
  if [[ $((f + s)) -eq 0 ]]; then failed=$((failed + 1)); return; fi
  failed=$((failed + f))
  passed=$((passed + s))
}

run_logged() {
  local log=$1; shift
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}

cmd_build() {
  cmake --workflow --preset release >/dev/null
  dotnet build NativeConv.sln -c Release
}

cmd_test() {
  mkdir -p build
  local rc=0
  echo "== C tests (release)"
  run_logged build/ctest-release.log cmake --workflow --preset release || rc=1
  count_ctest build/ctest-release.log
  echo "== C tests (ASan + UBSan)"
  run_logged build/ctest-asan.log cmake --workflow --preset asan || rc=1
  count_ctest build/ctest-asan.log
  echo "== .NET tests"
  run_logged build/dotnet-test.log dotnet test --project tests/NativeConv.Tests/NativeConv.Tests.csproj -c Release || rc=1
  count_mtp build/dotnet-test.log
  echo "$passed passed, $failed failed" | tee "$summary_file"
  [[ $rc -eq 0 && $failed -eq 0 ]]
}

require_cross_tools() {
  local tool missing=()
  for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "missing ${missing[*]}: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user" >&2
  return 1
}

cmd_arm64() {
  mkdir -p build
  local rc=0
  if require_cross_tools; then
    echo "== C tests (aarch64 under qemu-aarch64)"
    run_logged build/ctest-aarch64.log cmake --workflow --preset aarch64 || rc=1
    count_ctest build/ctest-aarch64.log
    echo "== C tests (aarch64 under qemu-aarch64, NATIVECONV_MAX_ISA=scalar)"
    run_logged build/ctest-aarch64-scalar.log ctest --preset aarch64-scalar || rc=1
    count_ctest build/ctest-aarch64-scalar.log
  else
    rc=1
    failed=$((failed + 1))
  fi
  echo "$passed passed, $failed failed" | tee build/arm64-summary.txt
  [[ $rc -eq 0 && $failed -eq 0 ]]
}

cmd_pack() {
  require_cross_tools
  cmake --preset aarch64 >/dev/null
  cmake --build --preset aarch64
  rm -f artifacts/packages/NativeConv.[0-9]*.nupkg
  dotnet pack src/NativeConv/NativeConv.csproj -c Release -o artifacts/packages
  local package entry
  package=$(ls artifacts/packages/NativeConv.[0-9]*.nupkg)
  unzip -l "$package"
  for entry in lib/net8.0/NativeConv.dll lib/net10.0/NativeConv.dll \
      runtimes/linux-x64/native/libnativeconv.so runtimes/linux-arm64/native/libnativeconv.so; do
    unzip -l "$package" "$entry" >/dev/null || { echo "$package lacks $entry" >&2; return 1; }
  done
}

cmd_package_test() {
  tests/package/run.sh "$@"
}

cmd_demo() {
  dotnet run --project src/NativeConv.Demo/NativeConv.Demo.csproj -c Release -- "$@"
}

cmd_bench() {
  if [[ ${1:-} == --dotnet ]]; then
    shift
    dotnet run --project bench/NativeConv.Benchmarks/NativeConv.Benchmarks.csproj -c Release -- "$@"
    return
  fi
  bench/run.sh "$@"
}

cmd_bindings() {
  local check=()
  [[ ${1:-} == --check ]] && check=(--check)
  dotnet run --project tools/NativeConv.BindGen/NativeConv.BindGen.csproj -c Release -- \
    --header native/include/nativeconv.h \
    --output src/NativeConv/Interop/NativeMethods.g.cs "${check[@]}"
}

cmd_fuzz() {
  local seconds=60
  while [[ $# -gt 0 ]]; do
    case $1 in
      --seconds) seconds=$2; shift 2 ;;
      *) echo "fuzz: unknown option $1" >&2; return 2 ;;
    esac
  done
  mkdir -p build
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$(nproc)"
  local bin=build/fuzz/native/fuzz corpus=build/fuzz/corpus findings=build/fuzz/findings
  mkdir -p "$corpus/conv2d" "$corpus/pool2d" "$corpus/reorder" "$findings"
  "$bin/fuzz_make_seeds" "$corpus/conv2d" "$corpus/pool2d" "$corpus/reorder"
  local target log execs total=0 rc=0
  for target in conv2d pool2d reorder; do
    echo "== fuzz_$target for ${seconds}s"
    log=build/fuzz-$target.log
    # A finding stops the run with a non-zero exit and leaves the input in $findings.
    if run_logged "$log" env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/$target-" "$corpus/$target"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); rc=1
    fi
    execs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log" | tail -n 1)
    echo "fuzz_$target: ${execs:-0} executions in ${seconds}s"
    total=$((total + ${execs:-0}))
  done
  echo "fuzz: $total executions in total"
  echo "$passed passed, $failed failed" | tee build/fuzz-summary.txt
  [[ $rc -eq 0 ]]
}

cmd_valgrind() {
  mkdir -p build
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
  # Valgrind's CPU model hides AVX-512, so the library dispatches to AVX2 under it on its own. The
  # install tests only run cmake, and test_large_tensor streams 8 GB, far too slow when emulated.
  local rc=0
  run_logged build/valgrind.log ctest --test-dir build/release -T memcheck -E '^(install_|test_large_tensor$)' \
    --overwrite "MemoryCheckCommand=$(command -v valgrind)" \
    --overwrite "MemoryCheckCommandOptions=--leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1" || rc=1
  count_ctest build/valgrind.log
  echo "$passed passed, $failed failed" | tee build/valgrind-summary.txt
  [[ $rc -eq 0 && $failed -eq 0 ]]
}

cmd_clean() {
  rm -rf build
  find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case $command in
  build) cmd_build "$@" ;;
  test) cmd_test "$@" ;;
  arm64) cmd_arm64 "$@" ;;
  pack) cmd_pack "$@" ;;
  package-test) cmd_package_test "$@" ;;
  demo) cmd_demo "$@" ;;
  bench) cmd_bench "$@" ;;
  bindings) cmd_bindings "$@" ;;
  fuzz) cmd_fuzz "$@" ;;
  valgrind) cmd_valgrind "$@" ;;
  clean) cmd_clean "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
