namespace NativeConv.Interop;

// Turns a failed nc_status into the exception .NET callers expect. Managed validation runs first and enforces the
// same rules, so these paths are reached only if the two sides disagree; they must still give a clean exception.
internal static unsafe class NativeStatus
{
    private const int MessageCapacity = 256;

    internal static void ThrowIfFailed(nc_status status)
    {
        if (status != nc_status.NC_STATUS_OK)
        {
            throw ToException(status, StatusMessage(status));
        }
    }

    // The descriptor query explains a rejected descriptor in a sentence naming the field; the generic status text is
    // the fallback when the descriptor itself was fine (for example, the failure was out of memory).
    internal static void ThrowIfFailed(nc_status status, in nc_conv2d_desc desc)
    {
        if (status != nc_status.NC_STATUS_OK)
        {
            byte* message = stackalloc byte[MessageCapacity];
            nc_tensor_sizes sizes;
            nc_conv2d_desc copy = desc;
            bool explained = NativeMethods.nc_conv2d_query(&copy, &sizes, message, MessageCapacity) != nc_status.NC_STATUS_OK;
            throw ToException(status, explained ? NativeText.FromUtf8(message) : StatusMessage(status));
        }
    }

    internal static void ThrowIfFailed(nc_status status, in nc_pool2d_desc desc)
    {
        if (status != nc_status.NC_STATUS_OK)
        {
            byte* message = stackalloc byte[MessageCapacity];
            nc_tensor_sizes sizes;
            nc_pool2d_desc copy = desc;
            bool explained = NativeMethods.nc_pool2d_query(&copy, &sizes, message, MessageCapacity) != nc_status.NC_STATUS_OK;
            throw ToException(status, explained ? NativeText.FromUtf8(message) : StatusMessage(status));
        }
    }

    private static string StatusMessage(nc_status status) => NativeText.FromUtf8(NativeMethods.nc_status_message((int)status));

    private static Exception ToException(nc_status status, string message)
    {
        string text = $"The native library reported {status}: {message}";
        return status switch
        {
            nc_status.NC_STATUS_NULL_POINTER or nc_status.NC_STATUS_INVALID_ARGUMENT or nc_status.NC_STATUS_BUFFER_SIZE
                or nc_status.NC_STATUS_OVERFLOW => new ArgumentException(text),
            nc_status.NC_STATUS_OUT_OF_MEMORY => new OutOfMemoryException(text),
            nc_status.NC_STATUS_UNSUPPORTED => new NotSupportedException(text),
            _ => new InvalidOperationException(text),
        };
    }
}
