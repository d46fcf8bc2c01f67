namespace NativeConv.Tests.Support;

internal static class TensorShapeExtensions
{
    public static int ElementCountAsInt(this TensorShape shape) =>
        checked(shape.Batch * shape.Channels * shape.Height * shape.Width);
}
