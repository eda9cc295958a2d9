using System.Collections.Concurrent;
using System.Diagnostics;
using Courses.Api.Http;
using Courses.Reliability.Tests.Harness;
using static Courses.Reliability.Tests.Harness.Clinic;

namespace Courses.Reliability.Tests.Faults;

/// <summary>
/// Many clinics, many nodes: three API processes (published build, Production mode) over six clinic databases. The
/// async projections are spread over the nodes; one node is killed under load and its projections run elsewhere; a
/// seventh clinic is added while the nodes run; every acknowledged command is stored once.
/// </summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    /// <summary>The async projections of one clinic database (analytics, outcomes, lots).</summary>
    private const int Projections = 3;

    private sealed record Sent(string Clinic, string Key, Guid? Client);

    [Fact]
    public async Task Three_nodes_spread_six_clinics_projections_survive_a_kill_and_pick_up_a_seventh_clinic_losing_nothing()
    {
        var figures = new Figures("cluster");
        var nodes = new List<ApiProcess>();
        try
        {
            for (var n = 1; n <= 3; n++) nodes.Add(await fixture.StartAsync($"cluster-{n}"));
            var agents = ClusterFixture.Clinics * Projections;

            // Spread: every projection of every clinic database runs on a node, and no node runs them all.
            var spread = await Eventually.Until(fixture.AssignmentsAsync,
                a => a.Count == 3 && a.Sum(x => x.Agents) == agents && a.All(x => x.Agents < agents), TimeSpan.FromSeconds(90),
                $"{agents} projection agents spread over 3 nodes", TimeSpan.FromMilliseconds(250));
            for (var n = 0; n < 3; n++) figures.Add($"agents on node {n + 1} before the kill", spread[n].Agents);
            Assert.All(spread, node => Assert.True(node.Agents < agents, "one node runs every projection"));

            // Load on every clinic through every node, each command with its Idempotency-Key, retried on another node
            // when the one it went to dies.
            var sent = new ConcurrentBag<Sent>();
            var perClinic = Scale.Count(10, 200);
            using var stop = new CancellationTokenSource();
            var killed = -1;
            var load = Enumerable.Range(1, ClusterFixture.Clinics).Select(c => Task.Run(async () =>
            {
                var clinic = ClusterFixture.ClinicId(c);
                var reception = Tokens.For(Roles.Reception, clinic);
                for (var i = 0; i < perClinic; i++)
                {
                    var key = $"{clinic}-{i}";
                    // Fixed before the first attempt: a retry after a kill must send the same body under the same key.
                    var scheduledAt = At(DateTimeOffset.UtcNow.AddDays(3));
                    for (var attempt = 0; ; attempt++)
                    {
                        var node = nodes[(c + i + attempt) % 3];
                        if ((c + i + attempt) % 3 == Volatile.Read(ref killed)) continue;
                        try
                        {
                            var answer = await node.Api.Post(reception, "/api/clients", new { fullName = $"Cluster {key}", dateOfBirth = "1980-01-01" }, key);
                            if (answer.Status >= 500) figures.Add("5xx");
                            Assert.Equal(201, answer.Status);
                            var client = answer.Json.GetProperty("clientId").GetGuid();
                            var booking = await node.Api.Post(reception, $"/api/clients/{client}/consultations",
                                new { scheduledAt, practitionerId = Practitioner, concerns = new[] { "fineLines" } }, key + "-b");
                            if (booking.Status >= 500) figures.Add("5xx");
                            Assert.Equal(201, booking.Status);
                            sent.Add(new Sent(clinic, key, client));
                            figures.Add("commands acknowledged", 2);
                            break;
                        }
                        catch (HttpRequestException)
                        {
                            figures.Add("requests cut off by the kill");
                        }
                    }
                }
            })).ToList();

            await Eventually.True(() => sent.Count >= ClusterFixture.Clinics * perClinic / 3, TimeSpan.FromMinutes(3), "load under way");
            // The node to kill: the one running the most projections.
            var victim = spread.IndexOf(spread.MaxBy(x => x.Agents));
            var clock = Stopwatch.StartNew();
            Volatile.Write(ref killed, victim);
            nodes[victim].Kill();
            figures.Add("faults injected (kill -9 of a node)");
            figures.Add("agents on the killed node", spread[victim].Agents);

            // While the load goes on: a write into every clinic through a survivor, then the wait until every projection
            // agent is assigned to a live node and every projection of every clinic has applied that write, which only
            // a projection running after the kill can do.
            var live = nodes.Where((_, n) => n != victim).ToList();
            var targets = new Dictionary<string, long>();
            foreach (var (clinic, database) in fixture.ClinicDatabases)
            {
                var probe = await live[0].Api.Post(Tokens.For(Roles.Reception, clinic), "/api/clients",
                    new { fullName = $"After the kill {clinic}", dateOfBirth = "1980-01-01" }, $"{clinic}-after-kill");
                Assert.Equal(201, probe.Status);
                targets[database] = await ClusterFixture.ScalarAsync(database, $"select max(seq_id) from {ClusterFixture.EventSchema}.mt_events");
            }
            var dead = spread[victim].Node;
            await Eventually.Until(fixture.AssignmentsAsync,
                a => a.All(x => x.Node != dead) && a.Sum(x => x.Agents) == agents, TimeSpan.FromSeconds(60),
                "the killed node's agents assigned to the live nodes", TimeSpan.FromMilliseconds(100));
            figures.Add("agents reassigned ms", clock.ElapsedMilliseconds);
            await Eventually.True(async () =>
            {
                foreach (var (database, target) in targets)
                    if (!await ClusterFixture.AppliedAsync(database, Projections, target)) return false;
                return true;
            }, TimeSpan.FromSeconds(90), "every clinic's projections applying a write made after the kill", TimeSpan.FromMilliseconds(100));
            var moved = clock.Elapsed;
            figures.Add("projections running elsewhere ms", (long)moved.TotalMilliseconds);

            await Task.WhenAll(load);
            await Eventually.True(async () =>
            {
                foreach (var database in fixture.ClinicDatabases.Values)
                    if (!await ClusterFixture.CaughtUpAsync(database, Projections)) return false;
                return true;
            }, TimeSpan.FromSeconds(120), "every clinic's projections caught up after the load", TimeSpan.FromMilliseconds(100));

            // Nothing lost or duplicated: each acknowledged registration (the load's and the probe after the kill) and
            // booking is stored once in its clinic's database.
            long lost = 0, duplicated = 0;
            foreach (var clinic in sent.GroupBy(s => s.Clinic))
            {
                var database = fixture.ClinicDatabases[clinic.Key];
                foreach (var (type, acknowledged) in new[] { ("client_registered", clinic.Count() + 1), ("consultation_booked", clinic.Count()) })
                {
                    var stored = await ClusterFixture.ScalarAsync(database,
                        $"select count(*) from {ClusterFixture.EventSchema}.mt_events where type = '{type}'");
                    lost += Math.Max(0, acknowledged - stored);
                    duplicated += Math.Max(0, stored - acknowledged);
                }
                var distinctStreams = await ClusterFixture.ScalarAsync(database,
                    $"select count(distinct stream_id) from {ClusterFixture.EventSchema}.mt_events where type = 'client_registered'");
                Assert.Equal(clinic.Select(s => s.Client).Distinct().Count() + 1, distinctStreams);
            }
            figures.Add("events lost", lost);
            figures.Add("events duplicated", duplicated);

            // A seventh clinic, added while the nodes run: served at once, its projections picked up by the cluster.
            var seventh = ClusterFixture.ClinicId(ClusterFixture.Clinics + 1);
            var added = await ApiProcess.CommandAsync(fixture.Main, fixture.Tenancy, "clinic-add", seventh, fixture.Added);
            Assert.True(added.Code == 0, added.Output);
            var sinceAdded = Stopwatch.StartNew();
            var token = Tokens.For(Roles.Reception, seventh);
            for (var i = 0; i < 3; i++)
            {
                var answer = await live[i % live.Count].Api.Post(token, "/api/clients", new { fullName = $"Seventh {i}", dateOfBirth = "1985-02-02" }, $"seventh-{i}");
                Assert.Equal(201, answer.Status);
            }
            await Eventually.Until(fixture.AssignedAgentsAsync, count => count == agents + Projections, TimeSpan.FromSeconds(60),
                "the seventh clinic's projections assigned", TimeSpan.FromMilliseconds(100));
            await Eventually.True(() => ClusterFixture.CaughtUpAsync(fixture.Added, Projections), TimeSpan.FromSeconds(60),
                "the seventh clinic's projections running", TimeSpan.FromMilliseconds(100));
            figures.Add("seventh clinic's projections running ms", sinceAdded.ElapsedMilliseconds);
            var after = await fixture.AssignmentsAsync();
            for (var n = 0; n < after.Count; n++) figures.Add($"agents on live node {n + 1} at the end", after[n].Agents);

            figures.Report();
            Assert.Equal(0, figures["5xx"]);
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.True(moved <= TimeSpan.FromSeconds(15), $"the killed node's projections ran elsewhere after {moved.TotalSeconds:0.0} s (target 15 s)");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
