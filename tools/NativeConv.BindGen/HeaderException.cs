namespace NativeConv.BindGen;

/// <summary>
/// The header could not be parsed cleanly or uses a construct the generator does not translate.
/// Generating anyway would produce bindings that silently disagree with the C ABI.
/// </summary>
internal sealed class HeaderException(string message) : Exception(message);
