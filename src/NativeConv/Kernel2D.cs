namespace NativeConv;

/// <summary>
/// A small immutable matrix of weights that <see cref="Filters.Apply(TensorShape, ReadOnlySpan{float}, Kernel2D, Span{float}, Padding?, TensorLayout, int)"/>
/// slides over every channel of an image: the classic image-processing filters and any matrix of your own.
/// </summary>
/// <remarks>
/// Kernels are applied as a cross-correlation, as PyTorch's <c>conv2d</c> and OpenCV's <c>filter2D</c> do: output pixel
/// (y, x) is the sum of <c>this[r, s] · input[y + r − top, x + s − left]</c>, the matrix is not flipped. So
/// <see cref="SobelX"/> responds positively where the image gets brighter to the right.
/// </remarks>
public sealed class Kernel2D
{
    private readonly float[] values;

    private Kernel2D(int height, int width, float[] values)
    {
        Height = height;
        Width = width;
        this.values = values;
    }

    /// <summary>Rows of the matrix.</summary>
    public int Height { get; }

    /// <summary>Columns of the matrix.</summary>
    public int Width { get; }

    /// <summary>The weights in row-major order, <see cref="Height"/>·<see cref="Width"/> of them.</summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>The weight at <paramref name="row"/>, <paramref name="column"/>.</summary>
    /// <param name="row">0 to <see cref="Height"/> − 1.</param>
    /// <param name="column">0 to <see cref="Width"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The row or the column is outside the matrix.</exception>
    public float this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Height);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Width);
            return values[(row * Width) + column];
        }
    }

    /// <summary>Horizontal Sobel derivative, <c>[−1 0 1; −2 0 2; −1 0 1]</c>: positive where brightness increases to the right.</summary>
    public static Kernel2D SobelX { get; } = Fixed(3, 3, [-1, 0, 1, -2, 0, 2, -1, 0, 1]);

    /// <summary>Vertical Sobel derivative, <c>[−1 −2 −1; 0 0 0; 1 2 1]</c>: positive where brightness increases downwards.</summary>
    public static Kernel2D SobelY { get; } = Fixed(3, 3, [-1, -2, -1, 0, 0, 0, 1, 2, 1]);

    /// <summary>Horizontal Scharr derivative, <c>[−3 0 3; −10 0 10; −3 0 3]</c>: as <see cref="SobelX"/> with better rotational symmetry.</summary>
    public static Kernel2D ScharrX { get; } = Fixed(3, 3, [-3, 0, 3, -10, 0, 10, -3, 0, 3]);

    /// <summary>Vertical Scharr derivative, <c>[−3 −10 −3; 0 0 0; 3 10 3]</c>.</summary>
    public static Kernel2D ScharrY { get; } = Fixed(3, 3, [-3, -10, -3, 0, 0, 0, 3, 10, 3]);

    /// <summary>Laplacian over the 4 direct neighbours, <c>[0 1 0; 1 −4 1; 0 1 0]</c>.</summary>
    public static Kernel2D Laplacian4 { get; } = Fixed(3, 3, [0, 1, 0, 1, -4, 1, 0, 1, 0]);

    /// <summary>Laplacian over all 8 neighbours, <c>[1 1 1; 1 −8 1; 1 1 1]</c>.</summary>
    public static Kernel2D Laplacian8 { get; } = Fixed(3, 3, [1, 1, 1, 1, -8, 1, 1, 1, 1]);

    /// <summary>Sharpening, <c>[0 −1 0; −1 5 −1; 0 −1 0]</c>: the image plus its negated 4-neighbour Laplacian; sums to 1.</summary>
    public static Kernel2D Sharpen { get; } = Fixed(3, 3, [0, -1, 0, -1, 5, -1, 0, -1, 0]);

    /// <summary>Emboss, <c>[−2 −1 0; −1 1 1; 0 1 2]</c>: relief lit from the top left; sums to 1.</summary>
    public static Kernel2D Emboss { get; } = Fixed(3, 3, [-2, -1, 0, -1, 1, 1, 0, 1, 2]);

    /// <summary>A kernel of your own from row-major weights.</summary>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="values"><paramref name="height"/>·<paramref name="width"/> weights, row by row; copied.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="height"/> or <paramref name="width"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have exactly height·width elements, or the product overflows.</exception>
    public static Kernel2D Create(int height, int width, ReadOnlySpan<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long count = (long)height * width;
        if (count != values.Length)
        {
            throw new ArgumentException(
                $"values has {values.Length} elements but a {height}x{width} kernel needs exactly {count}.", nameof(values));
        }

        return new Kernel2D(height, width, values.ToArray());
    }

    /// <summary>A kernel of your own from a matrix, e.g. <c>new float[,] { { 0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } }</c>.</summary>
    /// <param name="matrix">The weights, [row, column]; copied. Both dimensions at least 1.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> has an empty dimension.</exception>
    public static Kernel2D FromMatrix(float[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int height = matrix.GetLength(0);
        int width = matrix.GetLength(1);
        if (height == 0 || width == 0)
        {
            throw new ArgumentException($"matrix is {height}x{width}; both dimensions must be at least 1.", nameof(matrix));
        }

        var values = new float[height * width];
        for (int r = 0; r < height; r++)
        {
            for (int s = 0; s < width; s++)
            {
                values[(r * width) + s] = matrix[r, s];
            }
        }

        return new Kernel2D(height, width, values);
    }

    /// <summary>
    /// A normalised Gaussian blur: <c>exp(−(dy² + dx²) / (2σ²))</c> around the centre of the matrix, scaled so the
    /// weights sum to 1 (a flat image stays flat away from the border).
    /// </summary>
    /// <param name="size">Rows and columns, at least 1; odd sizes centre on a pixel.</param>
    /// <param name="sigma">Standard deviation in pixels; positive and finite.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1 or <paramref name="sigma"/> is not positive and finite.</exception>
    public static Kernel2D Gaussian(int size, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be positive and finite.");
        }

        // The weights are computed and normalised in double so that their float sum is 1 to within rounding.
        double centre = (size - 1) / 2.0;
        var weights = new double[size * size];
        double sum = 0;
        for (int r = 0; r < size; r++)
        {
            for (int s = 0; s < size; s++)
            {
                double dy = r - centre, dx = s - centre;
                double weight = Math.Exp(-((dy * dy) + (dx * dx)) / (2 * sigma * sigma));
                weights[(r * size) + s] = weight;
                sum += weight;
            }
        }

        var values = new float[weights.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(weights[i] / sum);
        }

        return new Kernel2D(size, size, values);
    }

    /// <summary>A box (mean) blur: every weight <c>1 / size²</c>.</summary>
    /// <param name="size">Rows and columns, at least 1.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1, or size² overflows.</exception>
    public static Kernel2D Box(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        // 46340² is the largest square that fits in an int.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 46340);
        var values = new float[size * size];
        Array.Fill(values, (float)(1.0 / values.Length));
        return new Kernel2D(size, size, values);
    }

    /// <summary>Returns the weights as a new row-major array.</summary>
    /// <returns>A copy of <see cref="Values"/>.</returns>
    public float[] ToArray() => (float[])values.Clone();

    /// <summary>Returns the matrix as text, e.g. <c>[-1 0 1; -2 0 2; -1 0 1]</c>.</summary>
    /// <returns>The rows separated by semicolons.</returns>
    public override string ToString() =>
        "[" + string.Join("; ", Enumerable.Range(0, Height).Select(r =>
            string.Join(' ', values.AsSpan(r * Width, Width).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))))) + "]";

    // The fixed kernels come from literals of the right length, so they skip Create's checks and copy.
    private static Kernel2D Fixed(int height, int width, float[] values) => new(height, width, values);
}
