using Courses.Api.Photos;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Courses.Api.OpenApi;

/// <summary>
/// The two photo routes whose bodies are not JSON: the upload's multipart body (a JSON <c>metadata</c> part and a binary
/// <c>image</c> part, so Scalar can send a real file), and the image route's binary answer.
/// </summary>
internal static class PhotoDocument
{
    private const string UploadPath = "api/clients/{clientId}/photos";
    private const string ImagePath = "api/clients/{clientId}/photos/{photoId}/image";

    public static bool IsUpload(OpenApiOperationTransformerContext context) =>
        context.Description.HttpMethod == "POST" && context.Description.RelativePath?.TrimStart('/') == UploadPath;

    public static async Task DescribeUpload(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        if (!IsUpload(context)) return;
        var document = context.Document!;
        var metadata = await context.GetOrCreateSchemaAsync(typeof(TakePhotoMetadata), null, cancellation);
        document.AddComponent(nameof(TakePhotoMetadata), metadata);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "Two parts: `metadata`, the photo's facts as JSON; `image`, the photo as image/jpeg or image/png (at most 15 MiB), " +
                          "which must decode whole as that type. Its metadata blocks (EXIF with GPS, XMP, IPTC, comments, PNG text) are removed " +
                          "without re-compressing the pixels; the answer's sha256 is of the bytes kept.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { PhotoUpload.MetadataPart, PhotoUpload.ImagePart },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [PhotoUpload.MetadataPart] = new OpenApiSchemaReference(nameof(TakePhotoMetadata), document),
                            [PhotoUpload.ImagePart] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Format = "binary",
                                Description = "The photo: image/jpeg or image/png, at most 15 MiB, at most 12 000 pixels a side and 50 megapixels.",
                            },
                        },
                    },
                    Encoding = new Dictionary<string, OpenApiEncoding>
                    {
                        [PhotoUpload.MetadataPart] = new() { ContentType = "application/json" },
                        [PhotoUpload.ImagePart] = new() { ContentType = $"{ImageSegments.Jpeg}, {ImageSegments.Png}" },
                    },
                },
            },
        };
    }

    public static void DescribeImage(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (context.Description.HttpMethod != "GET" || context.Description.RelativePath?.TrimStart('/') != ImagePath) return;
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.Responses!["200"] = new OpenApiResponse
        {
            Description = "The stored image (ETag: its SHA-256), or with size=thumbnail a JPEG at most 320 px on its long side. Never cached.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ImageSegments.Jpeg] = new() { Schema = binary },
                [ImageSegments.Png] = new() { Schema = binary },
            },
        };
        ApiDocument.Problem(operation, context.Document!, 410, "The photo was retracted as taken in error: its image is no longer kept.");
        ApiDocument.Problem(operation, context.Document!, 503, "The photo store cannot be reached just now.");
    }
}
