namespace AgentBill.Extensions.AI.Tests.Estimation;

public sealed class ImageSizeTests
{
    public static TheoryData<string, byte[]> Images => new()
    {
        { "png", ImageEncodings.Png(1920, 1080) },
        { "jpeg", ImageEncodings.Jpeg(1920, 1080) },
        { "gif", ImageEncodings.Gif(1920, 1080) },
        { "webp", ImageEncodings.WebP(1920, 1080) },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void The_size_is_read_from_the_header(string format, byte[] bytes)
    {
        Assert.True(ImageSize.TryRead(bytes, out var size), format);

        Assert.Equal(new ImageSize(1920, 1080), size);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47 })]
    public void Bytes_without_a_readable_header_have_no_size(byte[] bytes)
    {
        Assert.False(ImageSize.TryRead(bytes, out _));
    }
}
