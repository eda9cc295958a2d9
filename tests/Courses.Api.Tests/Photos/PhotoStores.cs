using Courses.Api.Photos;
using Courses.Api.Tests.Harness;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Courses.Api.Tests.Photos;

/// <summary>A host whose photo store is S3: the same tests, against s3rver on loopback, in schemas of its own.</summary>
public sealed class S3PhotoFixture : AppFixture
{
    public S3TestServer S3 { get; private set; } = null!;

    protected override string Schema => "courses_s3test";

    protected override async ValueTask BeforeHostAsync() => S3 = await S3TestServer.StartAsync();

    protected override void Configure(IWebHostBuilder web)
    {
        web.UseSetting("Photos:Store", "S3");
        web.UseSetting("Photos:S3:ServiceUrl", S3.ServiceUrl);
        web.UseSetting("Photos:S3:Bucket", S3TestServer.Bucket);
        web.UseSetting("Photos:S3:AccessKey", S3TestServer.AccessKey);
        web.UseSetting("Photos:S3:SecretKey", S3TestServer.SecretKey);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await S3.DisposeAsync();
    }
}

public sealed class DatabasePhotoTests(AppFixture fixture) : PhotoTests(fixture)
{
    protected override async Task<IReadOnlyList<string>> StoredImagesAsync()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select tenant_id || '/' || sha256 from courses_test.{DatabasePhotoStore.TableName} order by 1", connection);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    protected override async Task<IAsyncDisposable> StoreDownAsync() =>
        await Sabotage($"courses_test.{DatabasePhotoStore.TableName}", "true");
}

public sealed class S3PhotoTests(S3PhotoFixture fixture) : PhotoTests(fixture), IClassFixture<S3PhotoFixture>
{
    protected override Task<IReadOnlyList<string>> StoredImagesAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. fixture.S3.ObjectKeys().Where(k => !k.EndsWith(".thumbnail", StringComparison.Ordinal)).Order()]);

    protected override async Task<IAsyncDisposable> StoreDownAsync()
    {
        await fixture.S3.StopAsync();
        return new Restart(fixture.S3);
    }

    private sealed class Restart(S3TestServer s3) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await s3.StartAgainAsync();
    }
}
