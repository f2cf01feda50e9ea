using System.Buffers.Binary;

namespace AgentBill.Extensions.AI;

/// <summary>An image's width and height in pixels, read from the header of its bytes.</summary>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
internal readonly record struct ImageSize(int Width, int Height)
{
    /// <summary>
    /// Reads the size from a PNG, JPEG, GIF or WebP header. Only the header is read, never the pixels, so a
    /// large image costs no more to measure than a small one.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out ImageSize size)
    {
        size = default;
        var found = TryReadPng(data, ref size) || TryReadGif(data, ref size) || TryReadWebP(data, ref size) || TryReadJpeg(data, ref size);
        return found && size.Width > 0 && size.Height > 0;
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
    private static bool TryReadPng(ReadOnlySpan<byte> data, ref ImageSize size)
    {
        if (data.Length < 24 || !data[..8].SequenceEqual(PngSignature) || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16, 4));
        var height = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20, 4));
        return TrySet(width, height, ref size);
    }

    // "GIF87a" or "GIF89a", then the logical screen's width and height as little-endian 16-bit integers.
    private static bool TryReadGif(ReadOnlySpan<byte> data, ref ImageSize size)
    {
        if (data.Length < 10 || !(data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
        {
            return false;
        }

        return TrySet(BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(6, 2)), BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(8, 2)), ref size);
    }

    // RIFF container with a VP8 (lossy), VP8L (lossless) or VP8X (extended) first chunk.
    private static bool TryReadWebP(ReadOnlySpan<byte> data, ref ImageSize size)
    {
        if (data.Length < 30 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return false;
        }

        var chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Canvas width and height minus one, 24-bit little-endian.
            var width = data[24] | (data[25] << 8) | (data[26] << 16);
            var height = data[27] | (data[28] << 8) | (data[29] << 16);
            return TrySet((uint)width + 1, (uint)height + 1, ref size);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // After the 0x2f signature: 14 bits of width minus one, 14 bits of height minus one.
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(21, 4));
            return data[20] == 0x2f && TrySet((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, ref size);
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            // A key frame's start code, then 14-bit width and height (the top two bits are scaling).
            return data[23] == 0x9d && data[24] == 0x01 && data[25] == 0x2a
                && TrySet(BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(26, 2)) & 0x3FFFu, BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28, 2)) & 0x3FFFu, ref size);
        }

        return false;
    }

    // Segments after the SOI marker until a start-of-frame (SOF0-SOF15 except DHT, JPG and DAC), whose height and width are big-endian.
    private static bool TryReadJpeg(ReadOnlySpan<byte> data, ref ImageSize size)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return false;
        }

        var offset = 2;
        while (offset + 4 <= data.Length)
        {
            if (data[offset] != 0xFF)
            {
                return false;
            }

            var marker = data[offset + 1];
            if (marker == 0xFF)
            {
                offset++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 2, 2));
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return offset + 9 <= data.Length
                    && TrySet(BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 7, 2)), BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 5, 2)), ref size);
            }

            if (length < 2)
            {
                return false;
            }

            offset += 2 + length;
        }

        return false;
    }

    private static bool TrySet(uint width, uint height, ref ImageSize size)
    {
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            return false;
        }

        size = new ImageSize((int)width, (int)height);
        return true;
    }
}
