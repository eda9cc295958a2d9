using System.Text.Json;
using Courses.Api.Http;
using Courses.Api.Reactions;
using Courses.Api.Sessions;
using Courses.Api.Tests.Harness;
using Courses.Api.Writes;
using Courses.Domain;
using Marten;

namespace Courses.Api.Tests.Treatment;

/// <summary>One client from first consultation through a course, an allergic reaction, completion and maintenance.</summary>
public sealed class FullStoryTests(AppFixture fixture) : StoryContext(fixture)
{
    [Fact]
    public async Task A_client_is_treated_from_consultation_to_maintenance()
    {
        var client = await RegisteredClient("Ann Lee");
        await Screened(client);
        await Consented(client);
        var consultation = await BookedConsultation(client, "fineLines", "largePores");
        Clock.Advance(TimeSpan.FromDays(3));
        var course = await PlannedCourse(client, consultation, Plan(faceDepth: 0.5m, sessions: 3));
        var sessions = $"/api/clients/{client}/courses/{course}/sessions";

        var first = await RecordedSession(client, course, 0.5m);
        Assert.Equal(1, first.SessionNumber);
        var due = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddMonths(1);
        Assert.Equal(due, first.NextSessionDueOn);

        Clock.Set(new DateTimeOffset(due.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        var second = await RecordedSession(client, course, 1.0m);
        Assert.Equal(2, second.SessionNumber);

        Clock.Advance(TimeSpan.FromDays(2));
        var reaction = await ReportedReaction(client,
            Reaction(Clock.GetUtcNow().AddHours(-3), "allergicReaction", "moderate", second.SessionId, suspectedProduct: "hydraboost "));
        ReadModel.Equal(new ReactionReportedAnswer(reaction.ReactionId, PausedCourses: [course], SerumAllergyRecorded: "hydraboost", client, 0), reaction);
        var reactionId = reaction.ReactionId;

        Clock.Advance(TimeSpan.FromDays(30));
        var resume = $"/api/clients/{client}/courses/{course}/resume";
        await Refused(sessions, Session(Clock.GetUtcNow(), 1.5m, numbing: true, serum: "CalmRepair"), "course-paused");
        await Refused(resume, new { reason = "client feels fine" }, "unresolved-reaction");
        await ResolvedReaction(client, reactionId, "settled with antihistamines");
        await Post(Roles.Practitioner, resume, new { reason = "reaction resolved; serum changed" });
        await Refused(sessions, Session(Clock.GetUtcNow(), 1.5m, numbing: true, serum: "HydraBoost"), "serum-allergy");

        var third = (await Post(Roles.Practitioner, sessions, Session(Clock.GetUtcNow(), 1.5m, numbing: true, serum: "CalmRepair"), 201))
            .Deserialize<SessionRecordedAnswer>(ReadModel.Json)!;
        var thirdOn = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var maintenanceDue = thirdOn.AddMonths(6);
        // The last planned session: no next session, the course completed, maintenance due six months on.
        ReadModel.Equal(new SessionRecordedAnswer(third.SessionId, SessionNumber: 3, AftercareAfter(thirdOn), Precautions: [], NextSessionDueOn: null,
            CourseCompleted: true, maintenanceDue, client, course, 0), third);
        await Refused(sessions, Session(Clock.GetUtcNow().AddMinutes(1), 1.5m, numbing: true, serum: "CalmRepair"), "course-not-active");

        Clock.Set(new DateTimeOffset(maintenanceDue.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));
        var maintenance = (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/maintenance-sessions",
            Session(Clock.GetUtcNow(), 1.5m, numbing: true, serum: "CalmRepair"), 201)).Deserialize<MaintenanceSessionRecordedAnswer>(ReadModel.Json)!;
        ReadModel.Equal(new MaintenanceSessionRecordedAnswer(maintenance.SessionId, SessionNumber: 1, AftercareAfter(maintenanceDue), Precautions: [],
            maintenanceDue.AddMonths(6), client, course, 0), maintenance);

        await using var session = Fixture.Store.QuerySession(Tokens.Clinic);
        var events = await session.Events.FetchStreamAsync(client);
        Assert.Equal(
        [
            "ClientRegistered", "MedicalScreeningRecorded", "ConsentRecorded", "ConsultationBooked",
            "ConsultationCompleted", "CoursePlanned", "SessionRecorded", "SessionRecorded",
            "ReactionReported", "CoursePaused", "SerumAllergyRecorded", "ReactionResolved", "CourseResumed",
            "SessionRecorded", "CourseCompleted", "MaintenanceSessionRecorded",
        ], events.Select(e => e.EventType.Name));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.UserName)));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.CorrelationId)));
        Assert.Equal($"user-{Roles.Reception}", events[0].UserName);
        Assert.Equal($"user-{Roles.Practitioner}", events[^1].UserName);

        // The record the decisions worked on is exactly what replaying the stored events gives.
        var replayed = TreatmentRecord.Replay(events.Select(e => e.Data))!;
        var stored = await session.Events.AggregateStreamAsync<TreatmentRecord>(client);
        Assert.NotNull(stored);
        Assert.Equal(JsonSerializer.Serialize(replayed with { Version = stored.Version }), JsonSerializer.Serialize(stored));
        var finished = stored.Courses[course];
        Assert.Equal(CourseStatus.Completed, finished.Status);
        Assert.Equal(maintenanceDue.AddMonths(6), finished.MaintenanceDueOn);
        Assert.Equal(events.Count, stored.Version);
    }

    [Fact]
    public async Task Twenty_concurrent_retries_of_a_session_with_one_key_record_it_once()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var before = await EventCountAsync();
        var body = Session(Clock.GetUtcNow(), 0.5m);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => As(Roles.Practitioner, s =>
        {
            s.WithRequestHeader(WriteSafety.IdempotencyKeyHeader, "session-1");
            s.Post.Json(body).ToUrl($"/api/clients/{client}/courses/{course}/sessions");
            s.StatusCodeShouldBe(201);
        })));

        Assert.Single(answers.Select(a => a.ReadAsText()).Distinct());
        Assert.Equal(before + 1, await EventCountAsync());
    }
}
