namespace NativeConv;

/// <summary>How a <see cref="Padding"/> decides the zero padding around the input.</summary>
public enum PaddingMode
{
    /// <summary>The four sides are given explicitly (<see cref="Padding.Explicit"/>).</summary>
    Explicit = 0,

    /// <summary>No padding.</summary>
    Valid = 1,

    /// <summary>
    /// Output size <c>ceil(in / stride)</c>; an odd extra padding pixel goes to the bottom/right
    /// (TensorFlow <c>SAME</c>, ONNX <c>SAME_UPPER</c>).
    /// </summary>
    SameUpper = 2,

    /// <summary>As <see cref="SameUpper"/>, but an odd extra padding pixel goes to the top/left (ONNX <c>SAME_LOWER</c>).</summary>
    SameLower = 3,
}
