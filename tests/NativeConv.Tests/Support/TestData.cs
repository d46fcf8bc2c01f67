namespace NativeConv.Tests.Support;

/// <summary>Deterministic data for the hand-picked cases (the random cases get theirs from CsCheck).</summary>
internal static class TestData
{
    /// <summary>Values in [-2, 2) that vary irregularly with the index; <paramref name="salt"/> gives a different sequence.</summary>
    public static float[] Pattern(int length, int salt)
    {
        var values = new float[length];
        uint state = 2654435761u * (uint)(salt + 1);
        for (int i = 0; i < length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            values[i] = (state % 4096) / 1024f - 2f;
        }

        return values;
    }
}
