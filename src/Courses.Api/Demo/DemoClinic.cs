using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Courses.Domain.Protocol;
using Courses.Projections.Clients;
using Courses.Projections.Protocol;

namespace Courses.Api.Demo;

/// <summary>One demo client: the events their story produced, each with the user who recorded it.</summary>
public sealed record DemoClient(Guid ClientId, string FullName, IReadOnlyList<DemoEvent> Events, TreatmentRecord Record, DemoStage Stage);

public sealed record DemoEvent(object Data, string By);

/// <summary>What a seeding did, or why it did nothing (<see cref="ExistingClients"/> above 0).</summary>
public sealed record DemoSeedResult(
    string Clinic,
    int ExistingClients,
    IReadOnlyList<DemoClient> Clients,
    IReadOnlyDictionary<string, int> RefusedByCode,
    TimeSpan Elapsed)
{
    public bool Refused => ExistingClients > 0;
    public int EventCount => Clients.Sum(c => c.Events.Count);
}

/// <summary>
/// Fills a clinic with clients at every stage of treatment. Every event comes from the domain's own decisions, taken
/// in business-time order on a simulated clock over the last ~18 months, so the demo data obeys every rule a real
/// clinic's data does; a step the domain refuses is skipped and counted.
/// </summary>
public static partial class DemoClinic
{
    public const string DefaultClinic = "demo-clinic";
    public const int DefaultClients = 300;
    public const int DefaultSeed = 42;
    public const int ClientsPerSave = 50;

    public static readonly string[] Receptionists = ["demo-reception-dana", "demo-reception-eli"];
    public static readonly string[] Practitioners = ["demo-practitioner-amira", "demo-practitioner-ben", "demo-practitioner-chloe"];

    public static async Task<DemoSeedResult> SeedAsync(IDocumentStore store, string clinic, int clients, int seed,
        DateTimeOffset today, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        ClinicProtocol protocol;
        await using (var query = store.QuerySession(clinic))
        {
            var existing = await query.Query<ClientProfile>().CountAsync(cancellation);
            if (existing > 0) return new DemoSeedResult(clinic, existing, [], new Dictionary<string, int>(), watch.Elapsed);
            protocol = (await query.LoadAsync<ClinicProtocolDocument>(ProtocolStream.IdFor(clinic), cancellation))?.Protocol
                ?? ClinicProtocol.Default;
        }

        var refused = new Dictionary<string, int>();
        var stories = Write(clinic, clients, seed, today, protocol, refused);

        foreach (var batch in stories.Chunk(ClientsPerSave))
        {
            await using var session = store.LightweightSession(clinic);
            session.CorrelationId = $"demo-data/{seed}";
            // Marten records the session's user on an event that names none; below, every event names who recorded it.
            session.LastModifiedBy = Receptionists[0];
            foreach (var client in batch)
            {
                var stream = session.Events.StartStream<TreatmentRecord>(client.ClientId, client.Events.Select(e => e.Data));
                for (var i = 0; i < stream.Events.Count; i++) stream.Events[i].UserName = client.Events[i].By;
            }
            await session.SaveChangesAsync(cancellation);
        }

        return new DemoSeedResult(clinic, 0, stories, refused, watch.Elapsed);
    }

    /// <summary>The stories alone, without a store: deterministic for a clinic, seed, size and day.</summary>
    public static IReadOnlyList<DemoClient> Write(string clinic, int clients, int seed, DateTimeOffset today, ClinicProtocol protocol,
        IDictionary<string, int> refused)
    {
        // Ids depend on the clinic too, so two demo clinics never share a client id.
        var draw = new SeededDraws(new Random(seed), new Random(seed ^ StableHash(clinic)));
        var result = new List<DemoClient>(clients);
        foreach (var stage in ClinicMix.Deal(draw).Take(clients))
            result.Add(new ClientStory(draw, protocol, today, stage).Tell(refused));
        return result;
    }

    private static int StableHash(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
