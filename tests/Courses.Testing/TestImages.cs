using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using SkiaSharp;

namespace Courses.Testing;

/// <summary>
/// Images for the photo tests, made with the same imaging library the service uses: real JPEGs and PNGs carrying every
/// kind of metadata a phone or an editor writes, and the broken, disguised and hostile files a photo route must refuse.
/// </summary>
public static class TestImages
{
    /// <summary>Strings that sit only in the metadata blocks: none may survive into the stored image.</summary>
    public static readonly string[] Secrets = ["Exif\0\0", "GPS-SECRET-51N", "http://ns.adobe.com/xap/1.0/", "XMP-SECRET", "Photoshop 3.0", "IPTC-SECRET", "COMMENT-SECRET", "PNG-TEXT-SECRET", "ITXT-SECRET"];

    public static SKBitmap Pattern(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x ^ y) & 0xFF)));
        return bitmap;
    }

    public static byte[] PlainJpeg(int width = 640, int height = 480, int quality = 90)
    {
        using var bitmap = Pattern(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    public static byte[] PlainPng(int width = 200, int height = 150)
    {
        using var bitmap = Pattern(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A JPEG as a phone writes it: EXIF (orientation 6: held upright; GPS), XMP, IPTC and a comment before its frame.</summary>
    public static byte[] PhoneJpeg(int width = 640, int height = 480, int orientation = 6)
    {
        var plain = PlainJpeg(width, height);
        var segments = new List<byte[]>
        {
            Segment(0xE1, [.. "Exif\0\0"u8, .. Exif(orientation)]),
            Segment(0xE1, Encoding.UTF8.GetBytes("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>XMP-SECRET</exif:GPSLatitude></x:xmpmeta>")),
            Segment(0xED, Encoding.ASCII.GetBytes("Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0bIPTC-SECRET")),
            Segment(0xFE, Encoding.ASCII.GetBytes("COMMENT-SECRET")),
        };
        return [.. plain[..2], .. segments.SelectMany(s => s), .. plain[2..]];
    }

    /// <summary>A PNG with text, international text, time and EXIF chunks beside its pixels.</summary>
    public static byte[] AnnotatedPng(int width = 200, int height = 150)
    {
        var plain = PlainPng(width, height);
        const int afterHeader = 8 + 25;
        var chunks = new List<byte[]>
        {
            Chunk("tEXt", Encoding.Latin1.GetBytes("Comment\0PNG-TEXT-SECRET")),
            Chunk("iTXt", Encoding.UTF8.GetBytes("XML:com.adobe.xmp\0\0\0\0\0ITXT-SECRET")),
            Chunk("tIME", [0x07, 0xEA, 1, 5, 9, 0, 0]),
            Chunk("eXIf", Exif(1)),
        };
        return [.. plain[..afterHeader], .. chunks.SelectMany(c => c), .. plain[afterHeader..]];
    }

    public static byte[] Truncated(byte[] image) => image[..(image.Length * 3 / 5)];

    /// <summary>A JPEG with a ZIP archive after its end: both a photo and an archive to whoever reads it.</summary>
    public static byte[] PolyglotJpegZip()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = new StreamWriter(archive.CreateEntry("payload.html").Open()))
            entry.Write("<script>alert(1)</script>");
        return [.. PlainJpeg(), .. zip.ToArray()];
    }

    /// <summary>A PNG followed by an HTML page.</summary>
    public static byte[] PolyglotPngHtml() => [.. PlainPng(), .. "<html><script>alert(1)</script></html>"u8];

    /// <summary>A small JPEG whose frame header claims 60 000 × 60 000 pixels.</summary>
    public static byte[] HugeDimensionsJpeg()
    {
        var jpeg = PlainJpeg(64, 64);
        for (var i = 2; i + 9 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC2)
            {
                jpeg[i + 5] = 0xEA; jpeg[i + 6] = 0x60; // height 60000
                jpeg[i + 7] = 0xEA; jpeg[i + 8] = 0x60; // width 60000
                return jpeg;
            }
        throw new InvalidOperationException("No frame header in the test JPEG.");
    }

    private static readonly Lazy<byte[]> Bomb = new(() => BombPng(15_000, 15_000));

    /// <summary>A PNG of a few hundred KiB that decodes to 225 megapixels (15 000 × 15 000 of grey zeros).</summary>
    public static byte[] DecompressionBomb() => Bomb.Value;

    private static byte[] BombPng(int width, int height)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1];
            for (var y = 0; y < height; y++) z.Write(row);
        }
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        return [.. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, .. Chunk("IHDR", header), .. Chunk("IDAT", idat.ToArray()), .. Chunk("IEND", [])];
    }

    /// <summary>A multipart body as a front-end sends it; parts are (name, content type or null for JSON, bytes).</summary>
    public static (byte[] Body, string ContentType) Multipart(params (string Name, string? ContentType, byte[] Bytes)[] parts)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, type, bytes) in parts)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type ?? "application/json");
            if (type is null) content.Add(part, name);
            else content.Add(part, name, type == "image/png" ? "photo.png" : "photo.jpg");
        }
        using var stream = new MemoryStream();
        content.CopyTo(stream, null, CancellationToken.None);
        return (stream.ToArray(), content.Headers.ContentType!.ToString());
    }

    private static byte[] Segment(byte marker, byte[] payload) =>
        [0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)((payload.Length + 2) & 0xFF), .. payload];

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = (byte[])[.. Encoding.ASCII.GetBytes(type), .. data];
        var chunk = new byte[12 + data.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typed.CopyTo(chunk, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(typed));
        return chunk;
    }

    /// <summary>A little-endian TIFF: orientation, and a GPS directory with a latitude reference and a marker string.</summary>
    private static byte[] Exif(int orientation)
    {
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray()); tiff.AddRange(BitConverter.GetBytes(8));
        tiff.AddRange(BitConverter.GetBytes((short)2));
        tiff.AddRange(BitConverter.GetBytes((short)0x0112)); tiff.AddRange(BitConverter.GetBytes((short)3)); tiff.AddRange(BitConverter.GetBytes(1)); tiff.AddRange(BitConverter.GetBytes(orientation));
        tiff.AddRange(BitConverter.GetBytes((short)unchecked((short)0x8825))); tiff.AddRange(BitConverter.GetBytes((short)4)); tiff.AddRange(BitConverter.GetBytes(1)); tiff.AddRange(BitConverter.GetBytes(38));
        tiff.AddRange(BitConverter.GetBytes(0));
        // GPS directory at 38: GPSLatitudeRef "N", and a description pointing at the marker string after it.
        tiff.AddRange(BitConverter.GetBytes((short)2));
        tiff.AddRange(BitConverter.GetBytes((short)1)); tiff.AddRange(BitConverter.GetBytes((short)2)); tiff.AddRange(BitConverter.GetBytes(2)); tiff.AddRange("N\0\0\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes((short)0x1B)); tiff.AddRange(BitConverter.GetBytes((short)7)); tiff.AddRange(BitConverter.GetBytes(14)); tiff.AddRange(BitConverter.GetBytes(38 + 2 + 24 + 4));
        tiff.AddRange(BitConverter.GetBytes(0));
        tiff.AddRange("GPS-SECRET-51N"u8.ToArray());
        return [.. tiff];
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
