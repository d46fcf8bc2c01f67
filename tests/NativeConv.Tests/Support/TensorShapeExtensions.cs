namespace NativeConv.Tests.Support;

internal static class TensorShapeExtensions
{
    public static int ElementCountAsInt(this TensorShape shape) =>
        checked(shape.Batch * shape.Channels * shape.Height * shape.Width);

    /// <summary>The buffer length in <paramref name="layout"/>, from <see cref="Layouts.Length"/>.</summary>
    public static int ElementCountAsInt(this TensorShape shape, TensorLayout layout) => Layouts.Length(shape, layout);
}
