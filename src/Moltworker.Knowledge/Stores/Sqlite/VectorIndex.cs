using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>
/// All chunk vectors of the SQLite store in one contiguous float array, searched by SIMD brute force
/// (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> of unit vectors = cosine),
/// split across cores for large sets. From <see cref="QuantizeFrom"/> vectors on, a first pass scans an 8-bit copy
/// (a quarter of the memory to read: the float scan is bound by memory bandwidth) and the best
/// <see cref="RescoreFactor"/> × top are scored again exactly in float, so the scores returned are the float cosines
/// and the order is the float order. It mirrors the <c>kb_chunks.vector</c> column: loaded on first use and
/// reloaded when the database generation moved without it (another process wrote).
/// </summary>
internal sealed class VectorIndex
{
    private const int ParallelThreshold = 16_384;

    /// <summary>The 8-bit pass reads a quarter of the bytes and leaves a core to the keyword query of a hybrid search:
    /// it is split across cores only from 131,072 vectors on.</summary>
    private const int QuantizedParallelThreshold = 8 * ParallelThreshold;

    /// <summary>From this many vectors on, the 8-bit first pass runs.</summary>
    internal const int QuantizeFrom = 4_096;

    /// <summary>How many more candidates than asked for the 8-bit pass keeps for exact rescoring.</summary>
    internal const int RescoreFactor = 4;

    /// <summary>Extra candidates kept beyond <see cref="RescoreFactor"/> × top, for small tops.</summary>
    private const int RescoreExtra = 64;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, int> _slots = [];
    private float[] _data = [];
    private sbyte[] _quantized = [];
    private float[] _scales = [];
    private VectorEntry[] _entries = [];
    private int _count;
    private int _dimension;

    /// <summary>The database generation this index reflects; -1 when it must be (re)loaded.</summary>
    public long Generation { get; private set; } = -1;

    public int Count => _count;

    public void Load(IEnumerable<VectorEntry> entries, long generation)
    {
        _lock.EnterWriteLock();
        try
        {
            _slots.Clear();
            _count = 0;
            var list = entries as IReadOnlyList<VectorEntry> ?? entries.ToList();
            // After an embedding model change both sizes can be stored for a while: the newest one wins.
            _dimension = list.Count == 0 ? 0 : list[^1].Vector.Length;
            foreach (var entry in list) AddCore(entry);
            Generation = generation;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Applies one write. When the index was not at <paramref name="previousGeneration"/>, it missed
    /// another writer's change and is marked for reload instead.</summary>
    public void Apply(IReadOnlyList<long> removed, IReadOnlyList<VectorEntry> added, long previousGeneration, long newGeneration)
    {
        _lock.EnterWriteLock();
        try
        {
            if (Generation != previousGeneration)
            {
                Generation = -1;
                return;
            }
            foreach (var id in removed) RemoveCore(id);
            if (_count == 0 && added.Count > 0) _dimension = added[0].Vector.Length;
            foreach (var entry in added) AddCore(entry);
            // Vectors of another size (a new embedding model): reload, keeping the newest size.
            Generation = added.Any(a => a.Vector.Length != _dimension) ? -1 : newGeneration;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Invalidate()
    {
        _lock.EnterWriteLock();
        try { Generation = -1; }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>The <paramref name="top"/> most similar vectors (cosine), best first.</summary>
    public List<(long Id, float Score)> Search(float[] query, int top, Func<VectorEntry, bool>? filter)
    {
        _lock.EnterReadLock();
        try
        {
            if (_count == 0 || query.Length != _dimension || top <= 0) return [];
            var quantized = _count >= QuantizeFrom;
            var keep = quantized ? top * RescoreFactor + RescoreExtra : top;
            var partitions = _count >= (quantized ? QuantizedParallelThreshold : ParallelThreshold) ? Math.Max(1, Environment.ProcessorCount) : 1;
            var heaps = new PriorityQueue<int, float>[partitions];
            var size = (_count + partitions - 1) / partitions;
            if (quantized)
            {
                var (query8, _) = Quantize(query);
                Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
                    heaps[p] = ScanQuantized(query8, p * size, Math.Min(_count, (p + 1) * size), keep, filter));
            }
            else
            {
                Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
                    heaps[p] = ScanRange(query, p * size, Math.Min(_count, (p + 1) * size), top, filter));
            }

            var merged = new List<(long, float)>();
            foreach (var heap in heaps)
            {
                while (heap.TryDequeue(out var slot, out var score))
                    merged.Add((_entries[slot].Id, quantized ? TensorPrimitives.Dot(query, _data.AsSpan(slot * _dimension, _dimension)) : score));
            }
            return merged.OrderByDescending(m => m.Item2).ThenBy(m => m.Item1).Take(top).ToList();
        }
        finally { _lock.ExitReadLock(); }
    }

    private PriorityQueue<int, float> ScanRange(float[] query, int from, int to, int top, Func<VectorEntry, bool>? filter)
    {
        var heap = new PriorityQueue<int, float>(top + 1);
        var data = _data.AsSpan();
        for (var slot = from; slot < to; slot++)
        {
            if (filter is not null && !filter(_entries[slot])) continue;
            var score = TensorPrimitives.Dot(query, data.Slice(slot * _dimension, _dimension));
            if (heap.Count < top) heap.Enqueue(slot, score);
            else if (heap.TryPeek(out _, out var min) && score > min) heap.DequeueEnqueue(slot, score);
        }
        return heap;
    }

    /// <summary>The 8-bit pass: approximate scores (integer dot product times the vector's scale; the query's own
    /// scale is left out, it orders nothing).</summary>
    private PriorityQueue<int, float> ScanQuantized(sbyte[] query, int from, int to, int keep, Func<VectorEntry, bool>? filter)
    {
        var heap = new PriorityQueue<int, float>(keep + 1);
        var data = _quantized.AsSpan();
        for (var slot = from; slot < to; slot++)
        {
            if (filter is not null && !filter(_entries[slot])) continue;
            var score = Dot8(query, data.Slice(slot * _dimension, _dimension)) * _scales[slot];
            if (heap.Count < keep) heap.Enqueue(slot, score);
            else if (heap.TryPeek(out _, out var min) && score > min) heap.DequeueEnqueue(slot, score);
        }
        return heap;
    }

    /// <summary>A vector scaled so that its largest component is ±127, rounded to bytes, and the scale back.</summary>
    internal static (sbyte[] Values, float Scale) Quantize(ReadOnlySpan<float> vector)
    {
        var values = new sbyte[vector.Length];
        var scale = Quantize(vector, values);
        return (values, scale);
    }

    private static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> values)
    {
        // MaxMagnitude returns the component itself, which may be negative.
        var max = vector.IsEmpty ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        if (!(max > 0) || !float.IsFinite(max))
        {
            values.Clear();
            return 0;
        }
        var factor = 127f / max;
        for (var i = 0; i < vector.Length; i++) values[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * factor), -127, 127);
        return 1 / factor;
    }

    /// <summary>The integer dot product of two byte vectors (AVX2: widened to 16 bits, multiplied and added in pairs).</summary>
    internal static int Dot8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && length >= 32)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            var acc = Vector256<int>.Zero;
            for (; i <= length - 32; i += 32)
            {
                var (aLow, aHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref ra, (nuint)i));
                var (bLow, bHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref rb, (nuint)i));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(aLow, bLow));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(aHigh, bHigh));
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < length; i++) sum += a[i] * b[i];
        return sum;
    }

    private void AddCore(VectorEntry entry)
    {
        if (_dimension == 0) _dimension = entry.Vector.Length;
        if (entry.Vector.Length != _dimension || _slots.ContainsKey(entry.Id)) return;
        if ((_count + 1) * _dimension > _data.Length)
        {
            var capacity = Math.Max(1024, _entries.Length * 2);
            Array.Resize(ref _data, capacity * _dimension);
            Array.Resize(ref _quantized, capacity * _dimension);
            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _entries, capacity);
        }
        entry.Vector.CopyTo(_data, _count * _dimension);
        _scales[_count] = Quantize(entry.Vector, _quantized.AsSpan(_count * _dimension, _dimension));
        _entries[_count] = entry with { Vector = [] };
        _slots[entry.Id] = _count++;
    }

    private void RemoveCore(long id)
    {
        if (!_slots.Remove(id, out var slot)) return;
        var last = --_count;
        if (slot != last)
        {
            Array.Copy(_data, last * _dimension, _data, slot * _dimension, _dimension);
            Array.Copy(_quantized, last * _dimension, _quantized, slot * _dimension, _dimension);
            _scales[slot] = _scales[last];
            _entries[slot] = _entries[last];
            _slots[_entries[slot].Id] = slot;
        }
        _entries[last] = null!;
    }
}
