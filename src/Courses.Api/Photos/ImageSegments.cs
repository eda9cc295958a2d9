using System.Buffers.Binary;

namespace Courses.Api.Photos;

/// <summary>A file that is not a whole, plain image of its declared type; Detail says why, in words for the caller.</summary>
public sealed class ImageRefused(string detail) : Exception(detail);

/// <summary>
/// Removes the metadata blocks of a JPEG or PNG by walking its container — JPEG markers, PNG chunks — and keeping only
/// what decoding needs, in place: the kept bytes move down over the dropped ones, the compressed pixels untouched.
/// Anything after the image's end marker (another file appended: a polyglot) is refused, except the further images
/// (depth or gain maps) that phones append to a JPEG, which are dropped with the metadata that pointed at them.
/// </summary>
public static class ImageSegments
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The type the bytes begin as, whatever the caller declared.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF ? Jpeg
        : bytes.StartsWith(PngSignature) ? Png
        : null;

    /// <summary>Strips the image in place and answers its new length.</summary>
    public static int Strip(Span<byte> image, string contentType) => contentType == Jpeg ? StripJpeg(image) : StripPng(image);

    private static int StripJpeg(Span<byte> b)
    {
        var write = 2;
        var read = 2;
        while (true)
        {
            if (read >= b.Length) throw Truncated();
            if (b[read] != 0xFF) throw new ImageRefused("The JPEG's structure is broken: bytes where a marker should be.");
            while (read + 1 < b.Length && b[read + 1] == 0xFF) read++;
            if (read + 1 >= b.Length) throw Truncated();
            var marker = b[read + 1];
            read += 2;
            if (marker == 0xD9)
            {
                b[write++] = 0xFF;
                b[write++] = 0xD9;
                if (read < b.Length && !IsAppendedImages(b[read..]))
                    throw new ImageRefused("The file goes on after the JPEG's end: another file is appended to it.");
                return write;
            }
            if (marker is 0x01 or >= 0xD0 and <= 0xD7)
            {
                b[write++] = 0xFF;
                b[write++] = marker;
                continue;
            }
            if (marker is 0x00 or 0xD8) throw new ImageRefused("The JPEG's structure is broken: an unexpected marker.");
            if (read + 2 > b.Length) throw Truncated();
            int length = BinaryPrimitives.ReadUInt16BigEndian(b[read..]);
            if (length < 2 || read + length > b.Length) throw Truncated();
            if (KeepJpegSegment(marker, b.Slice(read + 2, length - 2)))
            {
                b[write++] = 0xFF;
                b[write++] = marker;
                b.Slice(read, length).CopyTo(b[write..]);
                write += length;
            }
            read += length;
            if (marker != 0xDA) continue;

            // The compressed scan runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
            var end = read;
            while (end + 1 < b.Length && !(b[end] == 0xFF && b[end + 1] is not (0x00 or 0xFF or >= 0xD0 and <= 0xD7))) end++;
            if (end + 1 >= b.Length) throw Truncated();
            b[read..end].CopyTo(b[write..]);
            write += end - read;
            read = end;
        }
    }

    /// <summary>
    /// What decoding needs: frames, tables, scans, restart intervals; the colour profile (the photo's colours, not facts
    /// about it) and Adobe's colour-transform flag. Every other application segment (EXIF with GPS, XMP, IPTC, MPF, …)
    /// and every comment goes.
    /// </summary>
    private static bool KeepJpegSegment(byte marker, ReadOnlySpan<byte> payload) => marker switch
    {
        0xE2 => payload.StartsWith("ICC_PROFILE\0"u8),
        0xEE => payload.StartsWith("Adobe"u8),
        >= 0xE0 and <= 0xEF or 0xFE => false,
        _ => true,
    };

    private static bool IsAppendedImages(ReadOnlySpan<byte> rest) =>
        (rest.Length >= 3 && rest[0] == 0xFF && rest[1] == 0xD8 && rest[2] == 0xFF) || !rest.ContainsAnyExcept((byte)0);

    /// <summary>Chunks that decoding or the image's colours need; text, time, EXIF, animation and private chunks go.</summary>
    private static readonly HashSet<string> KeptPngChunks = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT"];

    private static int StripPng(Span<byte> b)
    {
        var write = PngSignature.Length;
        var read = write;
        var first = true;
        while (true)
        {
            if (read + 12 > b.Length) throw Truncated();
            var length = BinaryPrimitives.ReadUInt32BigEndian(b[read..]);
            if (length > int.MaxValue || read + 12 + (long)length > b.Length) throw Truncated();
            var typeBytes = b.Slice(read + 4, 4);
            foreach (var c in typeBytes)
                if (!char.IsAsciiLetter((char)c)) throw new ImageRefused("The PNG's structure is broken: a chunk without a valid type.");
            var type = System.Text.Encoding.ASCII.GetString(typeBytes);
            if (first && type != "IHDR") throw new ImageRefused("The PNG's structure is broken: it does not start with its header.");
            first = false;
            var size = 12 + (int)length;
            if (KeptPngChunks.Contains(type))
            {
                b.Slice(read, size).CopyTo(b[write..]);
                write += size;
            }
            read += size;
            if (type != "IEND") continue;
            if (read < b.Length) throw new ImageRefused("The file goes on after the PNG's end: another file is appended to it.");
            return write;
        }
    }

    private static ImageRefused Truncated() => new("The image is cut short: it ends before its end marker.");
}
