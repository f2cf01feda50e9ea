using System.Buffers.Binary;

namespace AgentBill.Extensions.AI.Tests.Estimation;

/// <summary>The first bytes of images of a given size in each format the estimator reads: enough for its header reader.</summary>
internal static class ImageEncodings
{
    public static byte[] Png(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), (uint)height);
        return bytes;
    }

    public static byte[] Jpeg(int width, int height)
    {
        // SOI, an APP0 segment of 16 bytes to skip, then SOF0: length, precision, height, width.
        var bytes = new byte[2 + 18 + 11];
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 16);
        bytes[20] = 0xFF;
        bytes[21] = 0xC0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(22), 17);
        bytes[24] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(25), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(27), (ushort)width);
        return bytes;
    }

    public static byte[] Gif(int width, int height)
    {
        var bytes = new byte[13];
        "GIF89a"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)height);
        return bytes;
    }

    public static byte[] WebP(int width, int height)
    {
        // RIFF, WEBP, then an extended (VP8X) chunk: flags and the canvas size minus one, 24 bits each.
        var bytes = new byte[30];
        "RIFF"u8.CopyTo(bytes);
        "WEBP"u8.CopyTo(bytes.AsSpan(8));
        "VP8X"u8.CopyTo(bytes.AsSpan(12));
        bytes[16] = 10;
        WriteUInt24(bytes.AsSpan(24), width - 1);
        WriteUInt24(bytes.AsSpan(27), height - 1);
        return bytes;
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
