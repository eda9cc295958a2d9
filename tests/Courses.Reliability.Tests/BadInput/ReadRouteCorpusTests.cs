using Courses.Api.Http;
using Courses.Reliability.Tests.Harness;

namespace Courses.Reliability.Tests.BadInput;

/// <summary>
/// The read routes that take words from the caller — the client search, the schedule, the lot recalls, a client's skin
/// evolution — given hostile, malformed and absurd values in their query and route. A search for a strange string may
/// find nothing (200); anything refused is a 4xx problem; nothing is a 5xx, leaks internals, or writes.
/// </summary>
public sealed class ReadRouteCorpusTests(InProcessFixture fixture)
{
    /// <summary>Raw (already URL-encoded) values: injections, control characters, invalid UTF-8, traversal, huge and empty.</summary>
    private static readonly string[] Hostile =
    [
        "%27%3B%20drop%20table%20clients%3B%20--", "%22%20or%20%221%22%3D%221", "1%3B%20select%20pg_sleep(10)", "%7B%22%24ne%22%3Anull%7D",
        "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%24%7Bjndi%3Aldap%3A%2F%2F127.0.0.1%2Fa%7D", "%00", "%FF%FE",
        "%C0%AF", "%E2%80%AE", "a%0D%0ASet-Cookie%3A%20x%3D1", new string('x', 5000), "%25", "%", "", "*", "_", "%5C",
    ];

    private static readonly string[] BadNumbers = ["-1", "0", "abc", "1e10", "99999999999", "NaN", "1.5", "%00", "", "501", "2147483648"];

    private static readonly string[] BadDates = ["2026-02-30", "2026-13-01", "yesterday", "0001-01-01", "9999-12-31", "01%2F04%2F2026", "", "2026-1-1", "%00"];

    private static IEnumerable<(string Surface, string Role, string Path)> Requests()
    {
        foreach (var value in Hostile)
        {
            yield return ("search", Roles.Reception, $"/api/clients?q={value}");
            yield return ("schedule", Roles.Reception, $"/api/schedule?practitionerId={value}");
            yield return ("schedule", Roles.Reception, $"/api/schedule?date={value}");
            // A NUL in a path is refused by the in-process test server before the service sees it (Kestrel answers 400).
            if (value.Length > 0 && !value.Contains("%00", StringComparison.Ordinal))
            {
                yield return ("lots", Roles.Practitioner, $"/api/lots/{value}/clients");
                yield return ("lots", Roles.Practitioner, $"/api/serum-lots/{value}/clients");
                yield return ("skin", Roles.Practitioner, $"/api/clients/{value}/skin-evolution");
            }
        }
        foreach (var number in BadNumbers)
        {
            yield return ("search", Roles.Reception, $"/api/clients?q=ann&page={number}");
            yield return ("search", Roles.Reception, $"/api/clients?q=ann&pageSize={number}");
        }
        foreach (var date in BadDates) yield return ("schedule", Roles.Reception, $"/api/schedule?date={date}");
        yield return ("search", Roles.Reception, "/api/clients?q=a&q=b");
        yield return ("search", Roles.Reception, "/api/clients?page=1&page=2&q=a");
        yield return ("schedule", Roles.Reception, "/api/schedule?date=2026-01-05&date=2026-01-06");
        yield return ("skin", Roles.Practitioner, $"/api/clients/{Guid.NewGuid()}/skin-evolution");
    }

    [Fact]
    public async Task Hostile_queries_on_the_read_routes_are_answered_without_a_5xx_internals_or_a_write()
    {
        var figures = new Figures("bad-input (read routes)");
        var before = await fixture.EventCountAsync();
        var failures = new List<string>();
        foreach (var (surface, role, path) in Requests())
        {
            var answer = await fixture.Api.Get(Tokens.For(role), path);
            figures.Add("tried");
            figures.Add($"tried {surface}");
            figures.Add($"status {answer.Status}");
            if (answer.Status >= 500) figures.Add("5xx");
            if (Verdicts.Wrong(answer, $"GET {path[..Math.Min(200, path.Length)]}", foundIsFine: true) is { } wrong) failures.Add(wrong);
        }
        await Verdicts.Conclude(figures, failures, before, "hostile reads", fixture.EventCountAsync);
        Assert.True(figures["status 400"] > 0, "the malformed pages and dates should be refused with 400");
    }
}
