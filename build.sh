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
  demo [args]      run the demo (src/NativeConv.Demo) on its built-in example
  bench [args]     BenchmarkDotNet suite (bench/NativeConv.Benchmarks); args go to BenchmarkDotNet,
                   e.g. --filter '*ExecutorOverhead*' --job short
  bindings [--check]
                   regenerate src/NativeConv/Interop/NativeMethods.g.cs from the C header with
                   tools/NativeConv.BindGen (restores libclang, ~60 MB); --check fails if it differs
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

cmd_demo() {
  dotnet run --project src/NativeConv.Demo/NativeConv.Demo.csproj -c Release -- "$@"
}

cmd_bench() {
  dotnet run --project bench/NativeConv.Benchmarks/NativeConv.Benchmarks.csproj -c Release -- "$@"
}

cmd_bindings() {
  local check=()
  [[ ${1:-} == --check ]] && check=(--check)
  dotnet run --project tools/NativeConv.BindGen/NativeConv.BindGen.csproj -c Release -- \
    --header native/include/nativeconv.h \
    --output src/NativeConv/Interop/NativeMethods.g.cs "${check[@]}"
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
  demo) cmd_demo "$@" ;;
  bench) cmd_bench "$@" ;;
  bindings) cmd_bindings "$@" ;;
  clean) cmd_clean "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
