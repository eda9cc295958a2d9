using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Courses.Api.Photos;

/// <summary>
/// Images in any S3-compatible object store: <c>{clinic}/{sha256}</c> and <c>{clinic}/{sha256}.thumbnail</c> in one
/// bucket, each object carrying the time the service stored it (its own clock, which the sweep compares with).
/// </summary>
public sealed class S3PhotoStore(IAmazonS3 s3, PhotoSettings settings) : IPhotoStore
{
    private const string StoredAtMetadata = "x-amz-meta-stored-at";

    public static IAmazonS3 ClientFor(S3Settings s3)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = s3.ServiceUrl ?? throw new InvalidOperationException("Photos:Store is S3 but Photos:S3:ServiceUrl is not set."),
            ForcePathStyle = s3.ForcePathStyle,
            AuthenticationRegion = s3.Region,
            // Checksums only where S3 requires them: many S3-compatible servers do not read the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return s3.AccessKey is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
    }

    private string Bucket => settings.S3.Bucket;

    private static string Key(string clinic, string sha256, ImageSize size) =>
        $"{Uri.EscapeDataString(clinic)}/{sha256}{(size == ImageSize.Thumbnail ? ".thumbnail" : "")}";

    public async Task PutAsync(string clinic, string sha256, string contentType, ReadOnlyMemory<byte> image, ReadOnlyMemory<byte> thumbnail,
        DateTimeOffset storedAt, CancellationToken cancellation)
    {
        // The thumbnail first: an original without its thumbnail would be a photo that cannot be listed whole.
        await Put(Key(clinic, sha256, ImageSize.Thumbnail), "image/jpeg", thumbnail, storedAt, cancellation);
        await Put(Key(clinic, sha256, ImageSize.Original), contentType, image, storedAt, cancellation);
    }

    private Task Put(string key, string contentType, ReadOnlyMemory<byte> bytes, DateTimeOffset storedAt, CancellationToken cancellation) =>
        Call(async () =>
        {
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                ContentType = contentType,
                InputStream = AsStream(bytes),
                AutoCloseStream = true,
                UseChunkEncoding = false,
            };
            request.Metadata[StoredAtMetadata] = storedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
            await s3.PutObjectAsync(request, cancellation);
            return 0;
        });

    public async Task<OpenImage?> OpenAsync(string clinic, string sha256, ImageSize size, CancellationToken cancellation)
    {
        var response = await Call(async () =>
        {
            try
            {
                return await s3.GetObjectAsync(Bucket, Key(clinic, sha256, size), cancellation);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });
        return response is null ? null : new OpenImage(response.ResponseStream, response.ContentLength, new Disposing(response));
    }

    public Task DeleteAsync(string clinic, string sha256, CancellationToken cancellation) =>
        Call(async () =>
        {
            await s3.DeleteObjectAsync(Bucket, Key(clinic, sha256, ImageSize.Original), cancellation);
            await s3.DeleteObjectAsync(Bucket, Key(clinic, sha256, ImageSize.Thumbnail), cancellation);
            return 0;
        });

    public async IAsyncEnumerable<StoredKey> ListAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        string? token = null;
        do
        {
            var page = await Call(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, ContinuationToken = token }, cancellation));
            foreach (var o in page.S3Objects ?? [])
            {
                var slash = o.Key.LastIndexOf('/');
                if (slash <= 0 || o.Key.EndsWith(".thumbnail", StringComparison.Ordinal)) continue;
                yield return new StoredKey(Uri.UnescapeDataString(o.Key[..slash]), o.Key[(slash + 1)..]);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
    }

    public Task<DateTimeOffset?> StoredAtAsync(string clinic, string sha256, CancellationToken cancellation) =>
        Call(async () =>
        {
            try
            {
                var head = await s3.GetObjectMetadataAsync(Bucket, Key(clinic, sha256, ImageSize.Original), cancellation);
                return DateTimeOffset.TryParse(head.Metadata[StoredAtMetadata], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at
                    : (DateTimeOffset?)head.LastModified;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });

    private static Stream AsStream(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                                      or TaskCanceledException { InnerException: TimeoutException })
        {
            throw new PhotoStoreUnavailable("The photo store (S3) could not be reached or refused the request.", e);
        }
    }

    private sealed class Disposing(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
