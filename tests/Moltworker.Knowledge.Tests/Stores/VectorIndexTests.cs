using System.Numerics.Tensors;
using Moltworker.Knowledge.Stores.Sqlite;

namespace Moltworker.Knowledge.Tests.Stores;

/// <summary>The 8-bit first pass of the vector scan must not change what the float scan returns.</summary>
public sealed class VectorIndexTests
{
    private static float[] UnitVector(Random random, int dimensions, float[]? near = null, float noise = 1f)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++) vector[i] = (near?[i] ?? 0) + noise * (float)(random.NextDouble() * 2 - 1);
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < dimensions; i++) vector[i] /= norm;
        return vector;
    }

    [Fact]
    public void Quantized_search_returns_the_float_top_with_float_scores()
    {
        const int dimensions = 100; // not a multiple of 32: the scalar tail of the 8-bit dot product runs too
        var random = new Random(3);
        var centres = Enumerable.Range(0, 20).Select(_ => UnitVector(random, dimensions)).ToList();
        var entries = Enumerable.Range(0, VectorIndex.QuantizeFrom + 1000)
            .Select(i => new VectorEntry(i + 1, $"/kb/{i}.md", [], UnitVector(random, dimensions, centres[i % centres.Count], 0.6f)))
            .ToList();
        var index = new VectorIndex();
        index.Load(entries, generation: 1);

        for (var q = 0; q < 30; q++)
        {
            var query = UnitVector(random, dimensions, centres[q % centres.Count], 0.6f);
            var expected = entries.Select(e => (e.Id, Score: Dot(query, e.Vector))).OrderByDescending(e => e.Score).ThenBy(e => e.Id).Take(40).ToList();
            var actual = index.Search(query, 40, filter: null);

            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
            Assert.All(actual.Zip(expected), p => Assert.Equal(p.Second.Score, p.First.Score, 5));
        }
    }

    [Fact]
    public void Quantizing_keeps_the_direction_whatever_the_sign_of_the_largest_component()
    {
        foreach (var vector in new[] { new[] { 0.5f, -0.8f, 0.2f }, [0.8f, -0.5f, 0.2f] })
        {
            var (values, scale) = VectorIndex.Quantize(vector);
            Assert.All(values.Zip(vector), p => Assert.Equal(p.Second, p.First * scale, 2));
        }
    }

    [Fact]
    public void The_8_bit_dot_product_is_exact()
    {
        var random = new Random(4);
        foreach (var length in new[] { 1, 31, 32, 33, 384, 1000 })
        {
            var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), VectorIndex.Dot8(a, b));
        }
    }

    private static float Dot(float[] a, float[] b) => TensorPrimitives.Dot(a, b);
}
