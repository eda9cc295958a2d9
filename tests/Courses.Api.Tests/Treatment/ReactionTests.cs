using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Reactions;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Reactions;

namespace Courses.Api.Tests.Treatment;

public sealed class ReactionTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Reactions(Guid client) => $"/api/clients/{client}/reactions";
    private static string Resolve(Guid client, Guid reaction) => $"/api/clients/{client}/reactions/{reaction}/resolve";
    private static string Sessions(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/sessions";
    private static string Resume(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/resume";

    private static object Noted(DateTimeOffset occurredAt, string kind, string severity, Guid? sessionId = null, string? suspectedProduct = null) =>
        Reaction(occurredAt, kind, severity, sessionId, suspectedProduct, notes: "seen at follow-up");

    [Fact]
    public async Task Reporting_answers_201_with_the_reaction_its_location_and_the_new_version()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var session = (await RecordedSession(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(1));
        var before = await VersionOf(client);

        var occurred = Clock.GetUtcNow();
        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(Noted(occurred, "redness", "mild", session)).ToUrl(Reactions(client));
            s.StatusCodeShouldBe(201);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        var answer = JsonSerializer.Deserialize<ReactionReportedAnswer>(await result.ReadAsTextAsync(), ReadModel.Json)!;
        var reaction = answer.ReactionId;
        Assert.NotEqual(Guid.Empty, reaction);
        // A redness pauses nothing and records no allergy; the client and version travel in headers, not the body.
        ReadModel.Equal(new ReactionReportedAnswer(reaction, PausedCourses: [], SerumAllergyRecorded: null, client, before + 1), answer);
        Assert.Equal($"/api/clients/{client}/reactions/{reaction}", result.Context.Response.Headers.Location.ToString());

        ReadModel.Equal(
            new Reaction(reaction, ReactionKind.Redness, Severity.Mild, occurred, session, course, SuspectedProduct: null, Notes: "seen at follow-up"),
            await Read<Reaction>($"/api/clients/{client}/reactions/{reaction}"));
    }

    [Fact]
    public async Task An_infection_pauses_the_active_and_the_planned_course_and_the_next_session_is_refused_as_paused()
    {
        var (client, active) = await ClientWithPlannedCourse();
        await RecordedSession(client, active, 0.5m);
        var planned = await PlannedCourse(client, await BookedConsultation(client, "darkSpots"));
        Clock.Advance(TimeSpan.FromDays(2));

        var answer = await ReportedReaction(client, Noted(Clock.GetUtcNow(), "infection", "moderate"));
        ReadModel.Equal(new ReactionReportedAnswer(answer.ReactionId, PausedCourses: [active, planned], SerumAllergyRecorded: null, client, 0), answer);

        // course-paused is checked before the clinical rules, so it wins over unresolved-reaction.
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, active), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
        await Refused(Sessions(client, planned), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
    }

    [Fact]
    public async Task Any_severe_reaction_pauses_the_clients_courses()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var answer = await ReportedReaction(client, Noted(Clock.GetUtcNow(), "bruising", "severe"));
        ReadModel.Equal(new ReactionReportedAnswer(answer.ReactionId, PausedCourses: [course], SerumAllergyRecorded: null, client, 0), answer);
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
    }

    [Fact]
    public async Task A_mild_pain_pauses_nothing_but_blocks_sessions_until_resolved()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var answer = await ReportedReaction(client, Noted(Clock.GetUtcNow(), "pain", "mild"));
        ReadModel.Equal(new ReactionReportedAnswer(answer.ReactionId, PausedCourses: [], SerumAllergyRecorded: null, client, 0), answer);

        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "unresolved-reaction");
        await ResolvedReaction(client, answer.ReactionId);
        await RecordedSession(client, course, 0.5m);
    }

    [Fact]
    public async Task An_allergic_reaction_naming_a_serum_records_the_allergy_and_that_serum_is_refused_after_resuming()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var session = (await RecordedSession(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromHours(6));

        var answer = await ReportedReaction(client, Noted(Clock.GetUtcNow(), "allergicReaction", "moderate", session, " HydraBoost "));
        // The product named with spaces is recorded trimmed.
        ReadModel.Equal(new ReactionReportedAnswer(answer.ReactionId, PausedCourses: [course], SerumAllergyRecorded: "HydraBoost", client, 0), answer);

        Clock.Advance(TimeSpan.FromDays(5));
        await ResolvedReaction(client, answer.ReactionId, "settled with antihistamines");
        await Post(Roles.Practitioner, Resume(client, course), new { reason = "allergy settled; switching serum" });

        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m, serum: "hydraboost"), "serum-allergy");
        await Post(Roles.Practitioner, Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m, serum: "CalmDerm"), 201);
    }

    [Fact]
    public async Task Resolving_answers_200_with_the_new_version_and_a_second_resolve_is_refused()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var reaction = (await ReportedReaction(client, Noted(Clock.GetUtcNow().AddDays(-1), "redness", "mild"))).ReactionId;
        var before = await VersionOf(client);

        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { resolvedAt = At(Clock.GetUtcNow()), outcome = "faded" }).ToUrl(Resolve(client, reaction));
            s.StatusCodeShouldBe(200);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        ReadModel.Equal(new RecordedAnswer(client, before + 1), JsonSerializer.Deserialize<RecordedAnswer>(await result.ReadAsTextAsync(), ReadModel.Json));

        await Refused(Resolve(client, reaction), new { resolvedAt = At(Clock.GetUtcNow()) }, "reaction-already-resolved");
    }

    [Fact]
    public async Task A_reaction_cannot_be_resolved_before_it_occurred()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var occurred = Clock.GetUtcNow().AddDays(-2);
        var reaction = (await ReportedReaction(client, Noted(occurred, "peeling", "mild"))).ReactionId;
        await Refused(Resolve(client, reaction), new { resolvedAt = At(occurred.AddHours(-1)) }, "resolved-before-reported");
    }

    [Fact]
    public async Task An_unknown_reaction_is_404_and_another_clinic_cannot_resolve_it()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var reaction = (await ReportedReaction(client, Noted(Clock.GetUtcNow(), "redness", "mild"))).ReactionId;
        var before = await EventCountAsync();

        await Post(Roles.Practitioner, Resolve(client, Guid.NewGuid()), new { resolvedAt = At(Clock.GetUtcNow()) }, 404);
        await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { resolvedAt = At(Clock.GetUtcNow()) }).ToUrl(Resolve(client, reaction));
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_reaction_naming_a_session_the_record_lacks_is_unknown_session()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await Refused(Reactions(client), Noted(Clock.GetUtcNow(), "redness", "mild", Guid.NewGuid()), "unknown-session");
    }

    [Fact]
    public async Task Kind_and_severity_must_be_from_the_vocabulary()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await Invalid(Reactions(client), new { occurredAt = At(Clock.GetUtcNow()), kind = "itching", severity = "terrible" }, "kind", "severity");
        await Invalid(Reactions(client), new { occurredAt = At(Clock.GetUtcNow()) }, "kind", "severity");
    }

    [Fact]
    public async Task Reception_cannot_report_or_resolve_reactions()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var reaction = (await ReportedReaction(client, Noted(Clock.GetUtcNow(), "redness", "mild"))).ReactionId;
        var before = await EventCountAsync();
        await Post(Roles.Reception, Reactions(client), Noted(Clock.GetUtcNow(), "redness", "mild"), 403);
        await Post(Roles.Reception, Resolve(client, reaction), new { resolvedAt = At(Clock.GetUtcNow()) }, 403);
        Assert.Equal(before, await EventCountAsync());
    }
}
