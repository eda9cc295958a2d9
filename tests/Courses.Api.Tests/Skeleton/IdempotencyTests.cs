using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Api.Writes;

namespace Courses.Api.Tests.Skeleton;

public sealed class IdempotencyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly object Ann = new { fullName = "Ann Lee", dateOfBirth = "1990-04-01" };

    private Task<IScenarioResult> Register(string key, object body, int status, string clinic = Tokens.Clinic) =>
        As(Roles.Reception, s =>
        {
            s.WithRequestHeader(WriteSafety.IdempotencyKeyHeader, key);
            s.Post.Json(body).ToUrl("/api/clients");
            s.StatusCodeShouldBe(status);
        }, clinic);

    [Fact]
    public async Task A_retry_returns_the_first_answer_and_appends_nothing()
    {
        var first = await Register("key-1", Ann, 201);
        var second = await Register("key-1", Ann, 201);

        Assert.Equal(first.ReadAsText(), second.ReadAsText());
        Assert.Equal(first.Context.Response.Headers.Location.ToString(), second.Context.Response.Headers.Location.ToString());
        Assert.Equal("true", second.Context.Response.Headers[WriteSafety.ReplayedHeader].ToString());
        Assert.Equal(1, await EventCountAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused()
    {
        await Register("key-1", Ann, 201);
        var reused = await Register("key-1", new { fullName = "Bob Lee", dateOfBirth = "1980-02-02" }, 422);

        var problem = await reused.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("idempotency-key-reused", problem.GetProperty("code").GetString());
        Assert.Equal(1, await EventCountAsync());
    }

    [Fact]
    public async Task Keys_are_scoped_per_clinic()
    {
        var a = await Register("shared-key", Ann, 201);
        var b = await Register("shared-key", Ann, 201, clinic: Tokens.OtherClinic);

        Assert.NotEqual(a.ReadAsText(), b.ReadAsText());
        Assert.Equal(2, await EventCountAsync());
    }

    [Fact]
    public async Task Twenty_concurrent_retries_append_one_set_of_events()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Register("burst", Ann, 201)));

        var clientIds = answers.Select(a => a.ReadAsJson<JsonElement>().GetProperty("clientId").GetGuid()).Distinct();
        Assert.Single(clientIds);
        Assert.Equal(1, await EventCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task A_malformed_key_is_400(string key)
    {
        await Register(key, Ann, 400);
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_retry_while_the_first_request_still_holds_its_key_is_told_to_come_back()
    {
        await using var holder = new Npgsql.NpgsqlConnection(Fixture.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand("select pg_advisory_lock(@id)", holder))
        {
            take.Parameters.AddWithValue("id", IdempotencyKeyLock.LockIdFor(Tokens.Clinic, "in-flight"));
            await take.ExecuteNonQueryAsync();
        }
        var patience = IdempotencyKeyLock.Patience;
        IdempotencyKeyLock.Patience = TimeSpan.FromMilliseconds(200);
        try
        {
            var busy = await Register("in-flight", Ann, 409);
            Assert.Equal("1", busy.Context.Response.Headers.RetryAfter.ToString());
            Assert.Equal(0, await EventCountAsync());
        }
        finally
        {
            IdempotencyKeyLock.Patience = patience;
        }

        await using (var release = new Npgsql.NpgsqlCommand("select pg_advisory_unlock(@id)", holder))
        {
            release.Parameters.AddWithValue("id", IdempotencyKeyLock.LockIdFor(Tokens.Clinic, "in-flight"));
            await release.ExecuteNonQueryAsync();
        }
        await Register("in-flight", Ann, 201);
    }
}
