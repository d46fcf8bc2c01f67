#!/usr/bin/env bash
# Package checks: (1) the NativeConv package installs from a local folder into a brand-new console project
# that then runs a convolution and checks the result, once on .NET 10 and once on .NET 8 (a self-contained
# publish, since only the .NET 10 runtime need be installed); (2) samples/AotSample publishes with Native AOT
# with no trim/AOT warning and runs. Ends with "N passed, N failed".
#
# usage: tests/package/run.sh [feed-folder]
#   feed-folder  a folder holding NativeConv.<version>.nupkg (e.g. artifacts/packages from ./build.sh pack);
#                without it the package is packed here under a unique pre-release version.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

result() {
  if [[ $1 -eq 0 ]]; then passed=$((passed + 1)); echo "PASS $2"; else failed=$((failed + 1)); echo "FAIL $2"; fi
}

app=$work/consumer
# A private package folder for the consumer: a NativeConv of the same version left in the machine's cache by
# an earlier run cannot stand in. An environment variable, because `dotnet run` ignores --packages.
consumer_packages=$work/packages

# Writes the consumer project into $app for the package in the feed folder given (packing one there first
# if none is given).
make_consumer() {
  local feed=${1:-} version package
  if [[ -n $feed ]]; then
    feed=$(cd "$feed" && pwd) || return 1
  else
    feed=$work/feed
    # A version no other source can have, so the restore below can only take this build.
    dotnet pack "$root/src/NativeConv/NativeConv.csproj" -c Release -o "$feed" \
      -p:VersionSuffix="local.$(date +%Y%m%d%H%M%S)" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; return 1; }
  fi
  package=$(ls -t "$feed"/NativeConv.[0-9]*.nupkg 2>/dev/null | head -n 1)
  [[ -n $package ]] || { echo "no NativeConv.<version>.nupkg in $feed" >&2; return 1; }
  version=$(basename "$package" .nupkg)
  version=${version#NativeConv.}
  echo "consumer: NativeConv $version from $feed"

  # Outside the repository, so none of its Directory.Build.props or global.json applies.
  mkdir -p "$app"
  cat >"$app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="nativeconv-local" value="$feed" />
  </packageSources>
</configuration>
CONFIG
  cat >"$app/Consumer.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFrameworks>net10.0;net8.0</TargetFrameworks>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NativeConv" Version="[$version]" />
  </ItemGroup>
</Project>
PROJECT
  # The argument is the .NET major version the program must find itself running on.
  cat >"$app/Program.cs" <<'PROGRAM'
using NativeConv;

// 1..9 in a 3x3 image, a 2x2 kernel of ones, no padding: each output is the sum of one 2x2 window.
float[] output = new float[4];
Convolution.Conv2D(new TensorShape(1, 1, 3, 3), new Conv2DOptions(1, 2), [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 1], [], output);
string text = string.Join(", ", output);
string runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
Console.WriteLine($"NativeConv {NativeConvLibrary.Version} on {NativeConvLibrary.ActiveIsa}, {runtime}: [{text}]");
bool ok = text == "12, 16, 24, 28" && Environment.Version.Major.ToString() == args[0];
Console.WriteLine(ok ? "consumer: ok" : $"consumer: wrong result or not on .NET {args[0]}");
return ok ? 0 : 1;
PROGRAM
}

# Runs the consumer with `dotnet run` on the installed .NET 10.
consumer_net10_test() {
  local log=$work/consumer-net10.log
  NUGET_PACKAGES=$consumer_packages dotnet run --project "$app/Consumer.csproj" -f net10.0 -c Release -- 10 >"$log" 2>&1
  local rc=$?
  cat "$log"
  [[ $rc -eq 0 ]] && grep -q '^consumer: ok$' "$log"
}

# Publishes the consumer self-contained for .NET 8 (runtime packs from the feed) and runs the executable, so
# the package's lib/net8.0 assembly is what runs.
consumer_net8_test() {
  local log=$work/consumer-net8.log out=$work/consumer-net8 rid
  case $(uname -m) in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "no .NET runtime identifier known for $(uname -m)" >&2; return 1 ;;
  esac
  NUGET_PACKAGES=$consumer_packages dotnet publish "$app/Consumer.csproj" -f net8.0 -r "$rid" --self-contained \
    -c Release -o "$out" >"$log" 2>&1 || { cat "$log"; return 1; }
  grep -q '"lib/net8.0/NativeConv.dll"' "$out/Consumer.deps.json" || { echo "the publish did not take lib/net8.0" >&2; return 1; }
  "$out/Consumer" 8 | tee -a "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] && grep -q '^consumer: ok$' "$log"
}

aot_test() {
  local out=$work/aot log=$work/aot.log
  dotnet publish "$root/samples/AotSample/AotSample.csproj" -c Release -r linux-x64 -o "$out" >"$log" 2>&1
  local rc=$?
  # Trim and AOT analysis warnings are IL2xxx and IL3xxx; any warning at all fails the check.
  if [[ $rc -ne 0 ]] || grep -qE 'warning [A-Z]+[0-9]+' "$log"; then
    cat "$log"
    return 1
  fi
  echo "aot: published with 0 warnings ($(du -h "$out/AotSample" | cut -f1) binary)"
  "$out/AotSample"
}

echo "== package: install into a fresh consumer project"
if make_consumer "${1:-}"; then
  consumer_net10_test
  result $? "package consumer (net10.0)"
  echo "== package: the same consumer on .NET 8, self-contained"
  consumer_net8_test
  result $? "package consumer (net8.0, self-contained)"
else
  result 1 "package consumer"
fi
echo "== package: Native AOT publish of samples/AotSample"
aot_test
result $? "native aot sample"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
