using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Courses.Api.Photos;

/// <summary>
/// A photo upload as read from its <c>multipart/form-data</c> body: the <c>metadata</c> part, and the <c>image</c> part
/// read once, as it streams in, into one pooled buffer — where it is checked, stripped and hashed in place. Disposed with
/// the request, which returns the buffer.
/// </summary>
public sealed class PhotoUpload : IDisposable
{
    public const string MetadataPart = "metadata";
    public const string ImagePart = "image";
    private const int MaxMetadataBytes = 64 * 1024;

    /// <summary>The whole body: the image, its metadata and the multipart framing.</summary>
    public const long MaxBodyBytes = ClinicalImage.MaxBytes + MaxMetadataBytes + 16 * 1024;

    private byte[]? _buffer;

    public TakePhotoMetadata? Metadata { get; private set; }
    public PreparedImage? Image { get; private set; }
    public InputErrors Errors { get; } = new();

    /// <summary>The bytes to keep: the stripped image.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, Image?.Length ?? 0);

    public static async Task<PhotoUpload> ReadAsync(HttpContext http)
    {
        var upload = new PhotoUpload();
        http.Response.RegisterForDispose(upload);
        var boundary = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
                       && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
        {
            upload.Errors.Add("body", "must be multipart/form-data with a part \"metadata\" (JSON) and a part \"image\" (image/jpeg or image/png).");
            return upload;
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        TakePhotoMetadata? metadata = null;
        string? declared = null;
        var parts = new HashSet<string>();
        try
        {
            while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
            {
                var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                    : null;
                if (name is not (MetadataPart or ImagePart))
                {
                    upload.Errors.Add(name is null ? "body" : name, name is null
                        ? "has a part without a name: the parts are \"metadata\" and \"image\"."
                        : $"is not a part of this request: the parts are \"metadata\" and \"image\".");
                    continue;
                }
                if (!parts.Add(name))
                {
                    upload.Errors.Add(name, name == ImagePart ? "is sent more than once: a request takes one image." : "is sent more than once.");
                    continue;
                }
                if (name == MetadataPart)
                    metadata = await ReadMetadata(http, section.Body, upload.Errors);
                else
                {
                    declared = section.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
                    if (declared is not (ImageSegments.Jpeg or ImageSegments.Png))
                    {
                        upload.Errors.Add(ImagePart, $"must be sent as image/jpeg or image/png (its Content-Type), not {declared ?? "no type"}.");
                        continue;
                    }
                    upload._buffer = ArrayPool<byte>.Shared.Rent(ClinicalImage.MaxBytes + 1);
                    var length = await ReadAll(section.Body, upload._buffer, http.RequestAborted);
                    if (length > ClinicalImage.MaxBytes)
                        upload.Errors.Add(ImagePart, $"is larger than {ClinicalImage.MaxBytes / (1024 * 1024)} MiB.");
                    else if (length == 0)
                        upload.Errors.Add(ImagePart, "is empty.");
                    else
                        upload.Image = new PreparedImage(declared, length, "", 0, 0, 1, []);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            upload.Errors.Add("body", "is not a well-formed multipart/form-data body.");
        }
        if (!parts.Contains(MetadataPart)) upload.Errors.Add(MetadataPart, "is required: a JSON part with takenAt, area, view and kind.");
        if (!parts.Contains(ImagePart)) upload.Errors.Add(ImagePart, "is required: the photo, as image/jpeg or image/png.");
        upload.Metadata = metadata;
        if (upload.Errors.HasErrors || upload.Image is not { } raw) return upload;

        try
        {
            upload.Image = ClinicalImage.Prepare(upload._buffer!, raw.Length, raw.ContentType);
        }
        catch (ImageRefused refused)
        {
            upload.Errors.Add(ImagePart, refused.Message);
        }
        return upload;
    }

    private static async Task<TakePhotoMetadata?> ReadMetadata(HttpContext http, Stream body, InputErrors errors)
    {
        var buffer = new byte[MaxMetadataBytes + 1];
        var length = await ReadAll(body, buffer, http.RequestAborted);
        if (length > MaxMetadataBytes)
        {
            errors.Add(MetadataPart, $"is larger than {MaxMetadataBytes / 1024} KiB.");
            return null;
        }
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var metadata = JsonSerializer.Deserialize<TakePhotoMetadata>(buffer.AsSpan(0, length), json);
            if (metadata is null) errors.Add(MetadataPart, "must be a JSON object with takenAt, area, view and kind.");
            return metadata;
        }
        catch (JsonException e)
        {
            var member = e.Path is { Length: > 2 } path ? path[2..] : null;
            errors.Add(member is null ? MetadataPart : $"{MetadataPart}.{member}", member is null
                ? "must be a JSON object with takenAt, area, view and kind."
                : "has a value of the wrong kind (times are ISO-8601 with an offset, such as 2026-03-01T10:00:00+00:00; ids are UUIDs).");
            return null;
        }
    }

    /// <summary>Reads the part into the buffer; a part longer than the buffer answers buffer.Length + whatever was skipped.</summary>
    private static async Task<int> ReadAll(Stream part, byte[] buffer, CancellationToken cancellation)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await part.ReadAsync(buffer.AsMemory(total), cancellation);
            if (read == 0) return total;
            total += read;
        }
        // Too long: drain the rest without keeping it, so the answer can still be sent.
        var skipped = 0;
        var scratch = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await part.ReadAsync(scratch, cancellation)) > 0) skipped += read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
        return total + Math.Min(skipped, 1);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }
}
