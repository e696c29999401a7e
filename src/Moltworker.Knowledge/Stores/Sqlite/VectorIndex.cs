using System.Numerics.Tensors;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>
/// All chunk vectors of the SQLite store in one contiguous float array, searched by SIMD brute force
/// (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> of unit vectors = cosine),
/// split across cores for large sets. It mirrors the <c>kb_chunks.vector</c> column: loaded on first use and
/// reloaded when the database generation moved without it (another process wrote).
/// </summary>
internal sealed class VectorIndex
{
    private const int ParallelThreshold = 16_384;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, int> _slots = [];
    private float[] _data = [];
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
            var partitions = _count >= ParallelThreshold ? Math.Max(1, Environment.ProcessorCount) : 1;
            var heaps = new PriorityQueue<int, float>[partitions];
            var size = (_count + partitions - 1) / partitions;
            Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
                heaps[p] = ScanRange(query, p * size, Math.Min(_count, (p + 1) * size), top, filter));

            var merged = new List<(long, float)>();
            foreach (var heap in heaps)
            {
                while (heap.TryDequeue(out var slot, out var score)) merged.Add((_entries[slot].Id, score));
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

    private void AddCore(VectorEntry entry)
    {
        if (_dimension == 0) _dimension = entry.Vector.Length;
        if (entry.Vector.Length != _dimension || _slots.ContainsKey(entry.Id)) return;
        if ((_count + 1) * _dimension > _data.Length)
        {
            var capacity = Math.Max(1024, _entries.Length * 2);
            Array.Resize(ref _data, capacity * _dimension);
            Array.Resize(ref _entries, capacity);
        }
        entry.Vector.CopyTo(_data, _count * _dimension);
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
            _entries[slot] = _entries[last];
            _slots[_entries[slot].Id] = slot;
        }
        _entries[last] = null!;
    }
}
