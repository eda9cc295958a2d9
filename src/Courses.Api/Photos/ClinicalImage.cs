using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SkiaSharp;

namespace Courses.Api.Photos;

/// <summary>An upload made ready to keep: the stripped bytes (a prefix of the caller's buffer), their hash, and a thumbnail.</summary>
public sealed record PreparedImage(string ContentType, int Length, string Sha256, int Width, int Height, int Orientation, byte[] Thumbnail);

/// <summary>
/// Checks that an upload is a whole image of its declared type before anything is kept, with limits decided from the
/// header before a pixel is decoded; removes its metadata without touching the pixels; hashes what is kept; and makes
/// the thumbnail from the one decode that proves the stripped bytes are a whole image.
/// </summary>
public static class ClinicalImage
{
    public const int MaxBytes = 15 * 1024 * 1024;

    /// <summary>A side longer than any camera's; and 50 megapixels (a 48 MP phone photo fits), about 200 MB decoded.</summary>
    public const int MaxSide = 12_000;
    public const long MaxPixels = 50_000_000;
    public const int ThumbnailSide = 320;
    private const int ThumbnailQuality = 82;

    public static PreparedImage Prepare(byte[] buffer, int length, string declaredType)
    {
        var sniffed = ImageSegments.Sniff(buffer.AsSpan(0, length));
        if (sniffed is null) throw new ImageRefused($"The image is not a JPEG or PNG file (declared {declaredType}).");
        if (sniffed != declaredType) throw new ImageRefused($"The image is declared {declaredType} but is a {Name(sniffed)} file.");

        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            var origin = Header(handle.AddrOfPinnedObject(), length, sniffed).Origin;
            var stripped = ImageSegments.Strip(buffer.AsSpan(0, length), sniffed);
            var (width, height, thumbnail) = Decode(handle.AddrOfPinnedObject(), stripped, sniffed, origin);
            return new PreparedImage(sniffed, stripped, Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, stripped))),
                width, height, (int)origin, thumbnail);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The codec over the bytes as they are (no copy), its size checked before anything is decoded.</summary>
    private static (SKCodec Codec, SKEncodedOrigin Origin) Header(IntPtr bytes, int length, string type, bool keep = false)
    {
        var stream = new SKMemoryStream(SKData.Create(bytes, length, (_, _) => { }));
        var codec = SKCodec.Create(stream, out var result);
        if (codec is null || result != SKCodecResult.Success)
        {
            codec?.Dispose();
            stream.Dispose();
            throw new ImageRefused($"The image cannot be read as a {Name(type)}: {Describe(result)}.");
        }
        var expected = type == ImageSegments.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        if (codec.EncodedFormat != expected)
        {
            codec.Dispose();
            throw new ImageRefused($"The image is not a {Name(type)}.");
        }
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            codec.Dispose();
            throw new ImageRefused(
                $"The image claims {info.Width} × {info.Height} pixels; this service takes at most {MaxSide} pixels a side and {MaxPixels / 1_000_000} megapixels.");
        }
        var origin = codec.EncodedOrigin;
        if (keep) return (codec, origin);
        codec.Dispose();
        return (null!, origin);
    }

    /// <summary>
    /// Decodes every byte of the stripped image — a JPEG at the smallest scale its decoder offers that still covers a
    /// thumbnail, so memory stays small — and answers its size and a JPEG thumbnail turned as the camera held it.
    /// </summary>
    private static (int Width, int Height, byte[] Thumbnail) Decode(IntPtr bytes, int length, string type, SKEncodedOrigin origin)
    {
        var (codec, _) = Header(bytes, length, type, keep: true);
        using (codec)
        {
            var info = codec.Info;
            var scale = Math.Min(1f, (float)ThumbnailSide / Math.Max(info.Width, info.Height));
            var scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width < 1 || scaled.Height < 1) scaled = new SKSizeI(info.Width, info.Height);
            using var decoded = new SKBitmap(new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
            if (result != SKCodecResult.Success)
                throw new ImageRefused($"The image cannot be decoded whole: {Describe(result)}.");
            return (info.Width, info.Height, Thumbnail(decoded, origin));
        }
    }

    private static byte[] Thumbnail(SKBitmap decoded, SKEncodedOrigin origin)
    {
        var fit = Math.Min(1f, (float)ThumbnailSide / Math.Max(decoded.Width, decoded.Height));
        var w = Math.Max(1, (int)Math.Round(decoded.Width * fit));
        var h = Math.Max(1, (int)Math.Round(decoded.Height * fit));
        using var resized = decoded.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new ImageRefused("The image cannot be scaled.");
        var turned = (int)origin >= 5;
        using var oriented = new SKBitmap(new SKImageInfo(turned ? h : w, turned ? w : h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(oriented))
        {
            canvas.Clear(SKColors.White);
            canvas.SetMatrix(Orientation(origin, w, h));
            using var image = SKImage.FromBitmap(resized);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        }
        using var encoded = oriented.Encode(SKEncodedImageFormat.Jpeg, ThumbnailQuality);
        return encoded.ToArray();
    }

    /// <summary>Maps the stored pixels (w × h) to how the camera was held: EXIF orientations 1–8.</summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private static string Name(string type) => type == ImageSegments.Png ? "PNG" : "JPEG";

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "it is cut short",
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => "its data is corrupt",
        SKCodecResult.Unimplemented => "it uses a form this service does not read",
        _ => "it is not a valid image",
    };
}
