using System.Runtime.InteropServices;

namespace NativeConv.Interop;

// Loads and checks the native library once, before the first call that needs it, so that a missing, foreign or
// stale library is reported as one actionable exception instead of a DllNotFoundException deep in a call or,
// worse, a struct read with the wrong layout.
internal static unsafe class NativeLibraryGuard
{
    private static readonly Lazy<Failure?> ProbeResult = new(Probe);

    internal static string ExpectedFileName =>
        OperatingSystem.IsWindows() ? "nativeconv.dll"
        : OperatingSystem.IsMacOS() ? "libnativeconv.dylib"
        : "libnativeconv.so";

    /// <exception cref="PlatformNotSupportedException">The native library is missing, unloadable or does not match.</exception>
    internal static void EnsureInitialized()
    {
        // A new exception per call: rethrowing one stored instance would keep growing its stack trace.
        if (ProbeResult.Value is { } failure)
        {
            throw new PlatformNotSupportedException(failure.Message, failure.Cause);
        }
    }

    private static Failure? Probe()
    {
        try
        {
            int abi = NativeMethods.nc_abi_version();
            if (abi != NativeMethods.NC_ABI_VERSION)
            {
                return new Failure(
                    $"NativeConv expects native ABI version {NativeMethods.NC_ABI_VERSION} but the loaded " +
                    $"{ExpectedFileName} reports version {abi}. The managed and native parts come from different " +
                    "builds; reinstall the NativeConv package or rebuild both with ./build.sh.");
            }

            return CheckSize(nameof(nc_conv2d_desc), NativeMethods.nc_sizeof_conv2d_desc(), sizeof(nc_conv2d_desc), NativeLayout.nc_conv2d_desc)
                ?? CheckSize(nameof(nc_pool2d_desc), NativeMethods.nc_sizeof_pool2d_desc(), sizeof(nc_pool2d_desc), NativeLayout.nc_pool2d_desc)
                ?? CheckSize(nameof(nc_tensor_sizes), NativeMethods.nc_sizeof_tensor_sizes(), sizeof(nc_tensor_sizes), NativeLayout.nc_tensor_sizes)
                ?? CheckSize(nameof(nc_executor), NativeMethods.nc_sizeof_executor(), sizeof(nc_executor), NativeLayout.nc_executor);
        }
        catch (DllNotFoundException e)
        {
            return LoadFailure("could not be found or loaded", e);
        }
        catch (EntryPointNotFoundException e)
        {
            return LoadFailure("lacks a NativeConv export, so it is another library or an older build", e);
        }
        catch (BadImageFormatException e)
        {
            return LoadFailure("was built for a different platform or architecture", e);
        }
    }

    private static Failure? CheckSize(string structName, nuint native, int managed, int generated)
    {
        if (native == (nuint)managed && managed == generated)
        {
            return null;
        }

        return new Failure(
            $"The size of {structName} differs between the native library ({native} bytes), the managed declaration " +
            $"({managed} bytes) and the header the bindings were generated from ({generated} bytes). Regenerate the " +
            "bindings from native/include/nativeconv.h and rebuild with ./build.sh.");
    }

    private static Failure LoadFailure(string problem, Exception cause) => new(
        $"The native library {ExpectedFileName} for {RuntimeInformation.RuntimeIdentifier} {problem}. Install the " +
        $"NativeConv package, which ships it under runtimes/<rid>/native/, or build from source with ./build.sh so " +
        $"that {ExpectedFileName} sits next to NativeConv.dll.",
        cause);

    private sealed record Failure(string Message, Exception? Cause = null);
}
