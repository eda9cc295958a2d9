using Courses.Projections.Photos;
using Wolverine;

namespace Courses.Api.Photos;

/// <summary>A retracted photo's image, to delete once the retraction is committed (sent through the durable outbox with it).</summary>
public sealed record DeleteRetractedImage(string Clinic, string Sha256);

/// <summary>Removes stored images that no kept photo refers to: the retracted, and the uploads whose event was never written.</summary>
public sealed class OrphanSweep(IPhotoStore photos, IDocumentStore store, TimeProvider clock, PhotoSettings settings, ILogger<OrphanSweep> logger)
{
    /// <summary>An image of the clinic that no photo still kept refers to (the same image may be two photos).</summary>
    public async Task<bool> UnusedAsync(string clinic, string sha256, CancellationToken cancellation)
    {
        await using var session = store.QuerySession(clinic);
        return !await session.Query<ClinicalPhoto>().AnyAsync(p => p.Sha256 == sha256 && !p.Retracted, cancellation);
    }

    /// <summary>
    /// Deletes every image no kept photo refers to and stored longer than the grace period ago (an upload still on its way
    /// to its event is younger than that); answers how many went.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellation)
    {
        var cutoff = clock.GetUtcNow() - settings.OrphanGrace;
        var stored = new List<StoredKey>();
        await foreach (var key in photos.ListAsync(cancellation)) stored.Add(key);
        var deleted = 0;
        foreach (var clinic in stored.GroupBy(k => k.Clinic))
        {
            var hashes = clinic.Select(k => k.Sha256).ToArray();
            await using var session = store.QuerySession(clinic.Key);
            var kept = (await session.Query<ClinicalPhoto>().Where(p => p.Sha256.IsOneOf(hashes) && !p.Retracted)
                .Select(p => p.Sha256).ToListAsync(cancellation)).ToHashSet();
            foreach (var sha in hashes.Where(h => !kept.Contains(h)))
            {
                if (await photos.StoredAtAsync(clinic.Key, sha, cancellation) is not { } at || at > cutoff) continue;
                // Looked at again just before: a photo taken meanwhile with the same image keeps it.
                if (!await UnusedAsync(clinic.Key, sha, cancellation)) continue;
                await photos.DeleteAsync(clinic.Key, sha, cancellation);
                deleted++;
            }
        }
        if (deleted > 0) logger.LogInformation("Swept {Count} stored images no photo refers to", deleted);
        return deleted;
    }
}

public static class DeleteRetractedImageHandler
{
    /// <summary>Retried by Wolverine while the store is down; the sweep removes it later if every retry fails.</summary>
    public static async Task Handle(DeleteRetractedImage retracted, OrphanSweep sweep, IPhotoStore photos, CancellationToken cancellation)
    {
        if (await sweep.UnusedAsync(retracted.Clinic, retracted.Sha256, cancellation))
            await photos.DeleteAsync(retracted.Clinic, retracted.Sha256, cancellation);
    }
}

/// <summary>Sweeps on every node at <see cref="PhotoSettings.SweepInterval"/>; deleting the same image twice is harmless.</summary>
public sealed class OrphanSweeper(IServiceProvider services, PhotoSettings settings, ILogger<OrphanSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(settings.SweepInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await services.GetRequiredService<OrphanSweep>().SweepAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "The photo sweep failed; it runs again in {Interval}", settings.SweepInterval);
            }
        }
    }
}

public static class PhotoSetup
{
    public static WebApplicationBuilder AddClinicalPhotos(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(PhotoSettings.Section).Get<PhotoSettings>() ?? new PhotoSettings();
        builder.Services.AddSingleton(settings);
        if (settings.Store == PhotoStoreKind.S3)
        {
            builder.Services.AddSingleton(_ => S3PhotoStore.ClientFor(settings.S3));
            builder.Services.AddSingleton<IPhotoStore, S3PhotoStore>();
        }
        else
        {
            builder.Services.AddSingleton<IPhotoStore, DatabasePhotoStore>();
        }
        builder.Services.AddSingleton<OrphanSweep>();
        builder.Services.AddHostedService<OrphanSweeper>();
        return builder;
    }
}
