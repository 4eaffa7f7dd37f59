using System.Buffers.Binary;
using System.IO.Compression;

namespace CippUsers.Bot.Tests.Manifest;

public sealed class IconTests
{
    [Fact]
    public void Color_icon_is_a_192_pixel_square_png()
    {
        var icon = Png.Read(IconPath("color"));

        Assert.Equal((192, 192), (icon.Width, icon.Height));
        // Full colour: every pixel opaque.
        Assert.All(icon.Pixels(), p => Assert.Equal(255, p.A));
    }

    [Fact]
    public void Outline_icon_is_a_32_pixel_transparent_white_outline()
    {
        var icon = Png.Read(IconPath("outline"));

        Assert.Equal((32, 32), (icon.Width, icon.Height));
        Assert.True(icon.HasAlpha, "the outline icon must have an alpha channel");
        var pixels = icon.Pixels().ToList();
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
        Assert.All(new[] { (0, 0), (31, 0), (0, 31), (31, 31) }, c => Assert.Equal(0, icon.At(c.Item1, c.Item2).A));
        // Teams draws it on its own background: whatever is visible must be white.
        Assert.All(pixels.Where(p => p.A > 0), p => Assert.Equal((255, 255, 255), (p.R, p.G, p.B)));
    }

    private static string IconPath(string kind)
    {
        using var manifest = ManifestFiles.LoadManifest();
        return Path.Combine(ManifestFiles.ManifestDirectory, manifest.RootElement.GetProperty("icons").GetProperty(kind).GetString()!);
    }

    internal readonly record struct Rgba(byte R, byte G, byte B, byte A);

    /// <summary>Just enough of PNG to check icons: 8-bit RGB or RGBA, non-interlaced, all five filters.</summary>
    internal sealed class Png
    {
        private readonly byte[] _data;
        private readonly int _channels;

        private Png(int width, int height, int channels, byte[] data)
        {
            Width = width;
            Height = height;
            _channels = channels;
            _data = data;
        }

        public int Width { get; }

        public int Height { get; }

        public bool HasAlpha => _channels == 4;

        public static Png Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG");
            int width = 0, height = 0, channels = 0;
            using var idat = new MemoryStream();
            for (var offset = 8; offset < bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
                var type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
                var body = bytes.AsSpan(offset + 8, length);
                if (type == "IHDR")
                {
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    Assert.Equal(8, body[8]);
                    channels = body[9] switch
                    {
                        2 => 3,
                        6 => 4,
                        var other => throw new NotSupportedException($"PNG colour type {other} in {path}"),
                    };
                    Assert.Equal(0, body[12]);
                }
                else if (type == "IDAT")
                {
                    idat.Write(body);
                }

                offset += 12 + length;
            }

            idat.Position = 0;
            using var inflated = new MemoryStream();
            using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            {
                zlib.CopyTo(inflated);
            }

            return new Png(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
        }

        public Rgba At(int x, int y)
        {
            var i = ((y * Width) + x) * _channels;
            return new Rgba(_data[i], _data[i + 1], _data[i + 2], _channels == 4 ? _data[i + 3] : (byte)255);
        }

        public IEnumerable<Rgba> Pixels()
        {
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    yield return At(x, y);
                }
            }
        }

        private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
        {
            var stride = width * bpp;
            Assert.Equal(height * (stride + 1), raw.Length);
            var output = new byte[height * stride];
            for (var y = 0; y < height; y++)
            {
                var filter = raw[y * (stride + 1)];
                for (var x = 0; x < stride; x++)
                {
                    var value = raw[(y * (stride + 1)) + 1 + x];
                    int a = x >= bpp ? output[(y * stride) + x - bpp] : 0;
                    int b = y > 0 ? output[((y - 1) * stride) + x] : 0;
                    int c = x >= bpp && y > 0 ? output[((y - 1) * stride) + x - bpp] : 0;
                    var predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        4 => Paeth(a, b, c),
                        _ => throw new NotSupportedException($"PNG filter {filter}"),
                    };
                    output[(y * stride) + x] = (byte)(value + predictor);
                }
            }

            return output;
        }

        private static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
