using System.Globalization;

namespace NativeConv.Demo;

/// <summary>
/// A nominal fp32 peak: cores × clock × FLOP per cycle of the best ISA (two FMA pipes of its vector width). It is an
/// estimate for orientation: turbo, AVX clocks and single-FMA parts move the real figure.
/// </summary>
internal static class PeakEstimate
{
    /// <summary>The peak in GFLOP/s, or null where the clock is unknown (no /proc/cpuinfo).</summary>
    public static double? GigaFlops()
    {
        double? megahertz = ClockMegahertz();
        if (megahertz is null)
        {
            return null;
        }
        int flopsPerCycle = NativeConvLibrary.BestSupportedIsa switch
        {
            Isa.Avx512 => 2 * 16 * 2,
            Isa.Avx2 => 2 * 8 * 2,
            Isa.Neon => 2 * 4 * 2,
            _ => 2,
        };
        return Environment.ProcessorCount * megahertz.Value / 1000 * flopsPerCycle;
    }

    private static double? ClockMegahertz()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return null;
        }
        double best = 0;
        foreach (string line in File.ReadLines(CpuInfo))
        {
            if (line.StartsWith("cpu MHz", StringComparison.Ordinal) &&
                double.TryParse(line[(line.IndexOf(':') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz))
            {
                best = Math.Max(best, mhz);
            }
        }
        return best > 0 ? best : null;
    }
}
