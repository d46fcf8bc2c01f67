#!/usr/bin/env pwsh
# One entry point for building, testing and running NativeConv; mirrors build.sh. See README.md.
param(
    [Parameter(Position = 0)][string]$Command = 'help',
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$script:passed = 0
$script:failed = 0

function Invoke-Logged([string]$Log, [scriptblock]$Block) {
    & $Block 2>&1 | Tee-Object -FilePath $Log | Out-Host
    return $LASTEXITCODE
}

function Add-CTestCounts([string]$Log) {
    $line = Select-String -Path $Log -Pattern '(\d+) tests? failed out of (\d+)' | Select-Object -Last 1
    if (-not $line) { $script:failed++; return }
    $fails = [int]$line.Matches[0].Groups[1].Value
    $total = [int]$line.Matches[0].Groups[2].Value
    $script:passed += $total - $fails
    $script:failed += $fails
}

# Microsoft.Testing.Platform ends each test module with lines such as "  failed: 0" and "  succeeded: 649".
function Add-MtpCounts([string]$Log) {
    $text = Get-Content $Log -Raw
    $fails = [regex]::Matches($text, '(?m)^\s+failed:\s*(\d+)') | ForEach-Object { [int]$_.Groups[1].Value }
    $successes = [regex]::Matches($text, '(?m)^\s+succeeded:\s*(\d+)') | ForEach-Object { [int]$_.Groups[1].Value }
    $f = ($fails | Measure-Object -Sum).Sum
    $s = ($successes | Measure-Object -Sum).Sum
    if ($f + $s -eq 0) { $script:failed++; return }
    $script:failed += $f
    $script:passed += $s
}

function Invoke-Test {
    New-Item -ItemType Directory -Force build | Out-Null
    $rc = 0
    Write-Host '== C tests (release)'
    if ((Invoke-Logged 'build/ctest-release.log' { cmake --workflow --preset release }) -ne 0) { $rc = 1 }
    Add-CTestCounts 'build/ctest-release.log'
    if (-not $IsWindows) {
        Write-Host '== C tests (ASan + UBSan)'
        if ((Invoke-Logged 'build/ctest-asan.log' { cmake --workflow --preset asan }) -ne 0) { $rc = 1 }
        Add-CTestCounts 'build/ctest-asan.log'
    }
    Write-Host '== .NET tests'
    if ((Invoke-Logged 'build/dotnet-test.log' { dotnet test --project tests/NativeConv.Tests/NativeConv.Tests.csproj -c Release }) -ne 0) { $rc = 1 }
    Add-MtpCounts 'build/dotnet-test.log'
    $summary = "$($script:passed) passed, $($script:failed) failed"
    Set-Content -Path 'build/test-summary.txt' -Value $summary
    Write-Host $summary
    if ($rc -ne 0 -or $script:failed -ne 0) { exit 1 }
}

function Test-CrossTools {
    $missing = @('aarch64-linux-gnu-gcc', 'qemu-aarch64') | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }
    if (-not $missing) { return $true }
    Write-Host "missing $($missing -join ' '): apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"
    return $false
}

function Invoke-Arm64 {
    New-Item -ItemType Directory -Force build | Out-Null
    $rc = 0
    if (Test-CrossTools) {
        Write-Host '== C tests (aarch64 under qemu-aarch64)'
        if ((Invoke-Logged 'build/ctest-aarch64.log' { cmake --workflow --preset aarch64 }) -ne 0) { $rc = 1 }
        Add-CTestCounts 'build/ctest-aarch64.log'
        Write-Host '== C tests (aarch64 under qemu-aarch64, NATIVECONV_MAX_ISA=scalar)'
        if ((Invoke-Logged 'build/ctest-aarch64-scalar.log' { ctest --preset aarch64-scalar }) -ne 0) { $rc = 1 }
        Add-CTestCounts 'build/ctest-aarch64-scalar.log'
    } else {
        $rc = 1
        $script:failed++
    }
    $summary = "$($script:passed) passed, $($script:failed) failed"
    Set-Content -Path 'build/arm64-summary.txt' -Value $summary
    Write-Host $summary
    if ($rc -ne 0 -or $script:failed -ne 0) { exit 1 }
}

function Invoke-Pack {
    if (-not (Test-CrossTools)) { exit 1 }
    cmake --preset aarch64 | Out-Null
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    cmake --build --preset aarch64
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Remove-Item 'artifacts/packages/NativeConv.[0-9]*.nupkg' -ErrorAction SilentlyContinue
    dotnet pack src/NativeConv/NativeConv.csproj -c Release -o artifacts/packages
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    $package = Get-ChildItem 'artifacts/packages/NativeConv.[0-9]*.nupkg' | Select-Object -First 1
    $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
    try { $entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
    Write-Host $package.FullName
    $entries | ForEach-Object { Write-Host "  $_" }
    foreach ($entry in 'lib/net8.0/NativeConv.dll', 'lib/net10.0/NativeConv.dll',
            'runtimes/linux-x64/native/libnativeconv.so', 'runtimes/linux-arm64/native/libnativeconv.so') {
        if ($entries -notcontains $entry) { Write-Host "$($package.Name) lacks $entry"; exit 1 }
    }
}

function Invoke-Fuzz {
    $seconds = 60
    $i = [array]::IndexOf($Rest, '--seconds')
    if ($i -ge 0) { $seconds = [int]$Rest[$i + 1] }
    New-Item -ItemType Directory -Force build | Out-Null
    cmake --preset fuzz | Out-Null
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    cmake --build --preset fuzz
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    $bin = 'build/fuzz/native/fuzz'
    $corpus = 'build/fuzz/corpus'
    $findings = 'build/fuzz/findings'
    New-Item -ItemType Directory -Force "$corpus/conv2d", "$corpus/pool2d", "$corpus/reorder", $findings | Out-Null
    & "$bin/fuzz_make_seeds" "$corpus/conv2d" "$corpus/pool2d" "$corpus/reorder"
    $env:ASAN_OPTIONS = 'detect_leaks=1'
    $env:UBSAN_OPTIONS = 'print_stacktrace=1:halt_on_error=1'
    $total = 0
    foreach ($target in 'conv2d', 'pool2d', 'reorder') {
        Write-Host "== fuzz_$target for ${seconds}s"
        $log = "build/fuzz-$target.log"
        $rc = Invoke-Logged $log { & "$bin/fuzz_$target" "-max_total_time=$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "-artifact_prefix=$findings/$target-" "$corpus/$target" }
        if ($rc -eq 0) { $script:passed++ } else { $script:failed++ }
        $line = Select-String -Path $log -Pattern '^stat::number_of_executed_units:\s*(\d+)' | Select-Object -Last 1
        $execs = if ($line) { [long]$line.Matches[0].Groups[1].Value } else { 0 }
        Write-Host "fuzz_${target}: $execs executions in ${seconds}s"
        $total += $execs
    }
    Write-Host "fuzz: $total executions in total"
    $summary = "$($script:passed) passed, $($script:failed) failed"
    Set-Content -Path 'build/fuzz-summary.txt' -Value $summary
    Write-Host $summary
    if ($script:failed -ne 0) { exit 1 }
}

function Invoke-Valgrind {
    New-Item -ItemType Directory -Force build | Out-Null
    cmake --preset release | Out-Null
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    cmake --build --preset release
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    # As in build.sh: valgrind hides AVX-512 itself; the install tests and the 8 GB test are left out.
    $valgrind = (Get-Command valgrind).Source
    $rc = Invoke-Logged 'build/valgrind.log' {
        ctest --test-dir build/release -T memcheck -E '^(install_|test_large_tensor$)' `
            --overwrite "MemoryCheckCommand=$valgrind" `
            --overwrite 'MemoryCheckCommandOptions=--leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1'
    }
    Add-CTestCounts 'build/valgrind.log'
    $summary = "$($script:passed) passed, $($script:failed) failed"
    Set-Content -Path 'build/valgrind-summary.txt' -Value $summary
    Write-Host $summary
    if ($rc -ne 0 -or $script:failed -ne 0) { exit 1 }
}

switch ($Command) {
    'build' {
        cmake --workflow --preset release | Out-Null
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        dotnet build NativeConv.sln -c Release
        exit $LASTEXITCODE
    }
    'test' { Invoke-Test }
    'arm64' { Invoke-Arm64 }
    'pack' { Invoke-Pack }
    'demo' {
        dotnet run --project src/NativeConv.Demo/NativeConv.Demo.csproj -c Release -- @Rest
        exit $LASTEXITCODE
    }
    'bench' {
        dotnet run --project bench/NativeConv.Benchmarks/NativeConv.Benchmarks.csproj -c Release -- @Rest
        exit $LASTEXITCODE
    }
    'bindings' {
        $check = if ($Rest -contains '--check') { @('--check') } else { @() }
        dotnet run --project tools/NativeConv.BindGen/NativeConv.BindGen.csproj -c Release -- `
            --header native/include/nativeconv.h --output src/NativeConv/Interop/NativeMethods.g.cs @check
        exit $LASTEXITCODE
    }
    'fuzz' { Invoke-Fuzz }
    'valgrind' { Invoke-Valgrind }
    'clean' {
        Remove-Item -Recurse -Force build -ErrorAction SilentlyContinue
        Get-ChildItem -Recurse -Directory -Include bin, obj | Remove-Item -Recurse -Force
    }
    default {
        Write-Host 'usage: ./build.ps1 build | test | arm64 | pack | demo [args] | bench [args] | bindings [--check] | fuzz [--seconds N] | valgrind | clean (see build.sh)'
        if ($Command -ne 'help') { exit 2 }
    }
}
