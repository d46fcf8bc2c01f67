#!/usr/bin/env bash
# Package checks: (1) the NativeConv package installs from a local folder into a brand-new console project
# that then runs a convolution and checks the result; (2) samples/AotSample publishes with Native AOT with
# no trim/AOT warning and runs. Ends with "N passed, N failed".
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

consumer_test() {
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
  local app=$work/consumer
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
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NativeConv" Version="[$version]" />
  </ItemGroup>
</Project>
PROJECT
  cat >"$app/Program.cs" <<'PROGRAM'
using NativeConv;

// 1..9 in a 3x3 image, a 2x2 kernel of ones, no padding: each output is the sum of one 2x2 window.
float[] output = new float[4];
Convolution.Conv2D(new TensorShape(1, 1, 3, 3), new Conv2DOptions(1, 2), [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 1], [], output);
string text = string.Join(", ", output);
Console.WriteLine($"NativeConv {NativeConvLibrary.Version} on {NativeConvLibrary.ActiveIsa}: [{text}]");
bool ok = text == "12, 16, 24, 28";
Console.WriteLine(ok ? "consumer: ok" : "consumer: wrong result");
return ok ? 0 : 1;
PROGRAM
  # A private package folder: a NativeConv left in the machine's cache by an earlier run cannot stand in.
  dotnet run --project "$app/Consumer.csproj" -c Release --packages "$work/packages" >"$work/consumer.log" 2>&1
  local rc=$?
  cat "$work/consumer.log"
  [[ $rc -eq 0 ]] && grep -q '^consumer: ok$' "$work/consumer.log"
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
consumer_test "${1:-}"
result $? "package consumer"
echo "== package: Native AOT publish of samples/AotSample"
aot_test
result $? "native aot sample"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
