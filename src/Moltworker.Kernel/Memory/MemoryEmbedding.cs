using System.Runtime.InteropServices;

namespace Moltworker.Kernel.Memory;

/// <summary>How a memory's vector is stored: float32 values, little-endian, as one blob (both providers).</summary>
public static class MemoryEmbedding
{
    public static byte[] ToBytes(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] FromBytes(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
