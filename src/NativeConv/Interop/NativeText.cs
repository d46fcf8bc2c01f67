using System.Runtime.InteropServices;

namespace NativeConv.Interop;

// The library's strings (version, status messages, kernel names) are static NUL-terminated UTF-8 that the caller
// never frees.
internal static unsafe class NativeText
{
    internal static string FromUtf8(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
}
