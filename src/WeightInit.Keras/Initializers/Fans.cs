namespace WeightInit.Keras.Initializers;

/// <summary>Keras's <c>compute_fans</c>: fan-in and fan-out of a weight shape in Keras layout <c>(…, in, out)</c>.</summary>
public static class Fans
{
    /// <summary>
    /// Rank 0: (1, 1); rank 1 <c>(n)</c>: (n, n); rank 2 <c>(a, b)</c>: (a, b); rank ≥ 3
    /// <c>(k…, in, out)</c>: (in·R, out·R) with R the product of the leading dims. When both axis lists are
    /// given, fan-in and fan-out are the products of those dims instead (negative axes count from the end);
    /// when only one is given, both are ignored, as in Keras.
    /// </summary>
    /// <exception cref="ArgumentException">An axis outside the shape's rank.</exception>
    public static (long FanIn, long FanOut) Compute(ReadOnlySpan<long> shape, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    {
        if (inputAxes is not null && outputAxes is not null)
        {
            return (Product(shape, inputAxes, nameof(inputAxes)), Product(shape, outputAxes, nameof(outputAxes)));
        }
        switch (shape.Length)
        {
            case 0:
                return (1, 1);
            case 1:
                return (shape[0], shape[0]);
            case 2:
                return (shape[0], shape[1]);
            default:
                long receptive = 1;
                for (int i = 0; i < shape.Length - 2; i++)
                {
                    receptive *= shape[i];
                }
                return (shape[^2] * receptive, shape[^1] * receptive);
        }
    }

    private static long Product(ReadOnlySpan<long> shape, IReadOnlyList<int> axes, string name)
    {
        long product = 1;
        foreach (int axis in axes)
        {
            int a = axis < 0 ? axis + shape.Length : axis;
            if (a < 0 || a >= shape.Length)
            {
                throw new ArgumentException(
                    $"Axis {axis} in {name} is out of range for a shape of rank {shape.Length}; allowed: {-shape.Length} to {shape.Length - 1}.", name);
            }
            product *= shape[a];
        }
        return product;
    }
}
