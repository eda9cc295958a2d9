namespace Courses.Api.Photos;

public enum PhotoStoreKind { Database, S3 }

/// <summary>The <c>Photos</c> configuration section: where images are kept.</summary>
public sealed class PhotoSettings
{
    public const string Section = "Photos";

    public PhotoStoreKind Store { get; set; } = PhotoStoreKind.Database;
    public S3Settings S3 { get; set; } = new();

    /// <summary>Images no photo refers to and stored longer ago than this are swept (an upload whose event was never written).</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed class S3Settings
{
    /// <summary>The S3-compatible endpoint, e.g. <c>https://s3.eu-west-1.amazonaws.com</c> or a MinIO/Ceph URL.</summary>
    public string? ServiceUrl { get; set; }
    public string Bucket { get; set; } = "courses-photos";
    public string Region { get; set; } = "us-east-1";
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>): what most self-hosted S3 servers need.</summary>
    public bool ForcePathStyle { get; set; } = true;
}

/// <summary>The two sizes an image is kept in.</summary>
public enum ImageSize { Original, Thumbnail }

/// <summary>An image kept by a clinic: the store's key.</summary>
public sealed record StoredKey(string Clinic, string Sha256);

/// <summary>The store could not be reached or refused the request: nothing was recorded (the caller gets a 503).</summary>
public sealed class PhotoStoreUnavailable(string message, Exception inner) : Exception(message, inner);

/// <summary>An open image: its bytes as a stream, and how many.</summary>
public sealed class OpenImage(Stream content, long length, IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public Stream Content { get; } = content;
    public long Length { get; } = length;

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        if (owner is not null) await owner.DisposeAsync();
    }
}

/// <summary>
/// Where a clinic's image bytes live, content-addressed by clinic and SHA-256: the same image kept twice is one object.
/// The bytes are written before the event that names them and deleted after the event that retracts them, so a failure
/// between the two leaves at worst an image no photo refers to — which <see cref="OrphanSweep"/> removes — never a
/// photo without its image.
/// </summary>
public interface IPhotoStore
{
    Task PutAsync(string clinic, string sha256, string contentType, ReadOnlyMemory<byte> image, ReadOnlyMemory<byte> thumbnail,
        DateTimeOffset storedAt, CancellationToken cancellation);

    /// <summary>The image, or null when the store does not hold it.</summary>
    Task<OpenImage?> OpenAsync(string clinic, string sha256, ImageSize size, CancellationToken cancellation);

    Task DeleteAsync(string clinic, string sha256, CancellationToken cancellation);

    /// <summary>Every image the store holds, of every clinic.</summary>
    IAsyncEnumerable<StoredKey> ListAsync(CancellationToken cancellation);

    /// <summary>When the image was stored (by the service's clock), or null when it is not there.</summary>
    Task<DateTimeOffset?> StoredAtAsync(string clinic, string sha256, CancellationToken cancellation);
}
