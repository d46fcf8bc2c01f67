namespace NativeConv;

/// <summary>Zero padding on each side of the input, in pixels, after any <see cref="PaddingMode"/> rule has been resolved.</summary>
/// <param name="Top">Rows added above the input.</param>
/// <param name="Bottom">Rows added below the input.</param>
/// <param name="Left">Columns added left of the input.</param>
/// <param name="Right">Columns added right of the input.</param>
public readonly record struct Padding2D(int Top, int Bottom, int Left, int Right);
