using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NativeConv.Benchmarks;

/// <summary>
/// Seconds per call of an action repeated until a minimum time has passed. Single-threaded work is timed
/// by the calling thread's CPU time (Linux), so time spent descheduled on a shared machine is not
/// charged; multi-threaded work by wall time. Each timing starts after 100 ms of idling: ONNX Runtime's
/// intra-op threads spin for about 50 ms after its last run (by default; process CPU time sampled while
/// idle), and on a 2-CPU machine a spinning thread takes a CPU from the contender timed next. Then 20 ms of
/// untimed calls, as BenchmarkDotNet warms up, so that the timing measures calls in a stream rather than the
/// wake-up after the idle gap: on the 2-vCPU guest a helper thread woken after it could wait 5-12 ms behind
/// the busy caller on the caller's CPU (per-thread schedstat), longer than a whole 10 ms timing.
/// </summary>
public static partial class CallTimer
{
    private const int ClockThreadCpuTimeId = 3;
    private const int QuietGapMilliseconds = 100;
    private const int WarmUpMilliseconds = 20;

    public static double SecondsPerCall(Action action, bool threadCpuTime, double minSeconds)
    {
        Func<double> clock = threadCpuTime && OperatingSystem.IsLinux() ? ThreadCpuSeconds : WallSeconds;
        Thread.Sleep(QuietGapMilliseconds);
        long warmUpEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency * WarmUpMilliseconds / 1000;
        do
        {
            action();
        }
        while (Stopwatch.GetTimestamp() < warmUpEnd);
        long calls = 0;
        double start = clock(), elapsed;
        do
        {
            action();
            calls++;
            elapsed = clock() - start;
        }
        while (elapsed < minSeconds);
        return elapsed / calls;
    }

    private static double WallSeconds() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    private static double ThreadCpuSeconds()
    {
        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return time.Seconds + 1e-9 * time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
