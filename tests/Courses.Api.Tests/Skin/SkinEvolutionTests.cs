using System.Text.Json.Nodes;
using Alba;
using Courses.Api.Analytics;
using Courses.Api.Http;
using Courses.Api.Sessions;
using Courses.Api.Skin;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Assessments;
using Courses.Projections.Clients;
using Courses.Projections.Courses;
using Marten.Events;

namespace Courses.Api.Tests.Skin;

public sealed class SkinEvolutionTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Assessments(Guid client) => $"/api/clients/{client}/skin-assessments";

    private Task<SessionRecordedAnswer> Treated(Guid client, Guid course, decimal faceDepth) => RecordedSession(client, course, faceDepth, numbing: faceDepth > 1.0m);

    [Fact]
    public async Task A_course_is_followed_from_its_baseline_through_healing_checks_to_its_outcome()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(faceDepth: 0.5m, sessions: 3));
        var start = Clock.GetUtcNow();
        var baseline = await Assessed(client, Assessment(start.AddMinutes(-30), "baseline",
            [Score("fineLines", 3, "face"), Score("mMasi", 6.2m), Score("fitzpatrick", 2)], notes: "Before the course."));
        var first = (await Treated(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(2));
        var firstCheck = await Assessed(client, Assessment(Clock.GetUtcNow(), "healingCheck", [Score("erythema", 1, "face"), Score("pain", 2)], sessionId: first));

        Clock.Advance(TimeSpan.FromDays(26));
        var progress = await Assessed(client, Assessment(Clock.GetUtcNow().AddMinutes(-30), "progress", [Score("fineLines", 3, "face")], courseId: course));
        var second = (await Treated(client, course, 1.0m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(2));
        var inflamed = await Assessed(client, Assessment(Clock.GetUtcNow(), "healingCheck", [Score("erythema", 3, "face")], sessionId: second));

        // Still red two days after the second session: the third may not go deeper until a check shows it calmer.
        Clock.Advance(TimeSpan.FromDays(26));
        var deeper = Session(Clock.GetUtcNow(), 1.5m, numbing: true);
        await Refused($"/api/clients/{client}/courses/{course}/sessions", deeper, RuleCodes.StillInflamed);
        var calmer = await Assessed(client, Assessment(Clock.GetUtcNow().AddHours(-1), "healingCheck", [Score("erythema", 2, "face")], sessionId: second));
        var third = (await Treated(client, course, 1.5m)).SessionId;

        Clock.Advance(TimeSpan.FromDays(30));
        var end = Clock.GetUtcNow();
        var outcome = await Assessed(client, Assessment(end, "outcome", [Score("gais", 2), Score("fineLines", 1, "face"), Score("mMasi", 5.0m)], courseId: course));

        var (jan5, feb2, mar2) = (start, start.AddDays(28), start.AddDays(56));
        SkinPoint Point(Guid id, DateTimeOffset at, AssessmentKind kind, decimal value, Guid? session = null, int? number = null, decimal? depth = null) =>
            new(id, at, kind, value, session is null ? null : course, session, number, depth);
        ReadModel.Equal(new SkinEvolutionAnswer(client, Fitzpatrick: 2,
        [
            new SkinSeries("erythema", Area.Face, LowerIsBetter: true,
            [
                Point(firstCheck, jan5.AddDays(2), AssessmentKind.HealingCheck, 1, first, 1, 0.5m),
                Point(inflamed, feb2.AddDays(2), AssessmentKind.HealingCheck, 3, second, 2, 1.0m),
                Point(calmer, mar2.AddHours(-1), AssessmentKind.HealingCheck, 2, second, 2, 1.0m),
            ], Baseline: null, Latest: 2, Change: null),
            new SkinSeries("fineLines", Area.Face, true,
            [
                Point(baseline, jan5.AddMinutes(-30), AssessmentKind.Baseline, 3),
                // Before the second session that morning: the first session's depth is the one the skin had.
                Point(progress, feb2.AddMinutes(-30), AssessmentKind.Progress, 3, first, 1, 0.5m),
                Point(outcome, end, AssessmentKind.Outcome, 1, third, 3, 1.5m),
            ], Baseline: 3, Latest: 1, Change: -2),
            new SkinSeries("gais", null, true, [Point(outcome, end, AssessmentKind.Outcome, 2, third, 3, 1.5m)], null, 2, null),
            new SkinSeries("mMasi", null, true,
            [
                Point(baseline, jan5.AddMinutes(-30), AssessmentKind.Baseline, 6.2m),
                Point(outcome, end, AssessmentKind.Outcome, 5.0m, third, 3, 1.5m),
            ], 6.2m, 5.0m, -1.2m),
            new SkinSeries("pain", null, true, [Point(firstCheck, jan5.AddDays(2), AssessmentKind.HealingCheck, 2, first, 1, 0.5m)], null, 2, null),
        ], await VersionOf(client)), await SkinEvolutionOf(client));

        // The course's outcome: each scale scored at the end against the course baseline; GAIS is its own change.
        ReadModel.Equal(new CourseResult(2, [new ScoreChange("fineLines", Area.Face, 3, 1, -2), new ScoreChange("mMasi", null, 6.2m, 5.0m, -1.2m)]),
            (await CourseOf(client, course)).Outcome);
        // An auditor reads it too; the front desk does not.
        await SkinEvolutionOf(client, Roles.Auditor);
        await As(Roles.Reception, s =>
        {
            s.Get.Url($"/api/clients/{client}/skin-evolution");
            s.StatusCodeShouldBe(403);
        });
    }

    [Theory]
    [InlineData("mMasi", 24, null)]
    [InlineData("mMasi", 24.1, RuleCodes.ScoreOutOfRange)]
    [InlineData("mMasi", 12.3, null)]
    [InlineData("mMasi", 12.35, RuleCodes.ScoreOutOfRange)]
    [InlineData("fitzpatrick", 1, null)]
    [InlineData("fitzpatrick", 0, RuleCodes.ScoreOutOfRange)]
    [InlineData("gais", 5, null)]
    [InlineData("gais", 6, RuleCodes.ScoreOutOfRange)]
    [InlineData("wrinkleDepth", 1, RuleCodes.ScaleUnknown)]
    public async Task A_score_is_accepted_at_its_scales_edge_and_refused_just_past_it(string scale, double value, string? code)
    {
        var client = await RegisteredClient();
        var body = Assessment(Clock.GetUtcNow(), "baseline", [Score(scale, (decimal)value, "face")]);

        if (code is null) await Assessed(client, body);
        else await Refused(Assessments(client), body, code);
    }

    [Fact]
    public async Task Erythema_at_the_limit_lets_the_next_session_go_deeper()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(faceDepth: 0.5m, sessions: 3));
        var first = (await Treated(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(3));
        await Assessed(client, Assessment(Clock.GetUtcNow(), "healingCheck", [Score("erythema", 2)], sessionId: first));
        Clock.Advance(TimeSpan.FromDays(25));

        await Treated(client, course, 1.0m);
    }

    [Fact]
    public async Task Under_the_protocols_switch_a_first_session_waits_for_its_baseline()
    {
        var current = JsonNode.Parse((await As(Roles.Admin, s => s.Get.Url("/api/protocol"))).ReadAsText())!.AsObject();
        current["requireBaselineAssessment"] = true;
        await As(Roles.Admin, s =>
        {
            s.Put.Text(current.ToJsonString()).ToUrl("/api/protocol");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(200);
        });
        var (client, course) = await ClientWithPlannedCourse();
        var sessions = $"/api/clients/{client}/courses/{course}/sessions";

        await Refused(sessions, Session(Clock.GetUtcNow(), 0.5m), RuleCodes.BaselineRequired);
        await Assessed(client, Assessment(Clock.GetUtcNow(), "baseline", [Score("fineLines", 2, "face")]));
        await Post(Roles.Practitioner, sessions, Session(Clock.GetUtcNow(), 0.5m), 201);
    }

    [Fact]
    public async Task References_the_record_lacks_and_an_outcome_before_any_session_are_refused()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var now = Clock.GetUtcNow();

        await Refused(Assessments(client), Assessment(now, "outcome", [Score("gais", 2)], courseId: course), RuleCodes.OutcomeBeforeSessions);
        await Refused(Assessments(client), Assessment(now, "outcome", [Score("gais", 2)], courseId: Guid.NewGuid()), RuleCodes.UnknownCourse);
        await Refused(Assessments(client), Assessment(now, "healingCheck", [Score("erythema", 1)], sessionId: Guid.NewGuid()), RuleCodes.UnknownSession);
        var session = (await Treated(client, course, 0.5m)).SessionId;
        await Refused(Assessments(client), Assessment(now.AddMinutes(-1), "healingCheck", [Score("erythema", 1)], sessionId: session),
            RuleCodes.AssessmentBeforeSession);
        await Refused(Assessments(client), Assessment(now.AddMinutes(6), "progress", [Score("fineLines", 1)]), RuleCodes.FutureTime);
    }

    [Fact]
    public async Task A_body_that_does_not_say_what_its_kind_needs_is_400_naming_the_member()
    {
        var client = await RegisteredClient();
        var now = Clock.GetUtcNow();

        await Invalid(Assessments(client), Assessment(now, "healingCheck", [Score("erythema", 1)]), "sessionId");
        await Invalid(Assessments(client), Assessment(now, "outcome", [Score("fineLines", 1)]), "courseId", "scores");
        await Invalid(Assessments(client), Assessment(now, "baseline", []), "scores");
        await Invalid(Assessments(client), Assessment(now, "baseline", [Score("fineLines", 1, "face"), Score("fineLines", 2, "face")]), "scores");
        await Invalid(Assessments(client), Assessment(now, "baseline", [Score("fineLines", 1, "cheek")]), "scores[0].area");
        await Invalid(Assessments(client), new { assessedAt = At(now), kind = "guess", assessorId = Practitioner, scores = new[] { new { scale = "fineLines" } } },
            "kind", "scores[0].value");
    }

    [Fact]
    public async Task A_client_never_assessed_has_an_empty_evolution_and_another_clinics_client_is_unknown()
    {
        var client = await RegisteredClient();

        ReadModel.Equal(new SkinEvolutionAnswer(client, null, [], await VersionOf(client)), await SkinEvolutionOf(client));
        await As(Roles.Practitioner, s =>
        {
            s.Get.Url($"/api/clients/{client}/skin-evolution");
            s.StatusCodeShouldBe(404);
        }, Tokens.OtherClinic);
    }

    [Fact]
    public async Task Outcome_analytics_group_courses_beside_their_reaction_rate_and_suppress_a_group_of_fewer_than_three()
    {
        // Three one-session fine-lines courses at 0.5 mm with HydraBoost, and one with another serum; outcomes 20 days on.
        var outcomes = new List<(Guid Client, Guid Course, decimal End, int Gais)>();
        async Task Course(decimal end, int gais, string serum = "HydraBoost", bool reaction = false)
        {
            var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
            await Assessed(client, Assessment(Clock.GetUtcNow(), "baseline", [Score("fineLines", 3, "face")]));
            var session = (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions",
                Session(Clock.GetUtcNow(), 0.5m, serum: serum), 201)).GetProperty("sessionId").GetGuid();
            if (reaction) await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "redness", "mild", session));
            outcomes.Add((client, course, end, gais));
        }
        await Course(end: 1, gais: 2, reaction: true);
        await Course(end: 3, gais: 3);
        await Course(end: 2, gais: 2);
        await Course(end: 1, gais: 1, serum: "PeptidePlus");
        Clock.Advance(TimeSpan.FromDays(20));
        foreach (var (client, course, end, gais) in outcomes)
            await Assessed(client, Assessment(Clock.GetUtcNow(), "outcome", [Score("gais", gais), Score("fineLines", end, "face")], courseId: course));
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        var answer = await Read<OutcomeStatsAnswer>("/api/analytics/outcomes?from=2026-01&to=2026-02", Roles.Analyst);

        ReadModel.Equal(new OutcomeStatsAnswer("2026-01", "2026-02",
        [
            // Changes -2, 0 and -1: two improved by a step or more; one reaction after three sessions.
            new OutcomeGroup("fineLines", "upTo1.0", "HydraBoost", 0, "fineLines", false, 3, -1.00m, 0.6667m,
                new Dictionary<string, int> { ["1"] = 0, ["2"] = 2, ["3"] = 1, ["4"] = 0, ["5"] = 0 }, 33.33m),
            new OutcomeGroup("fineLines", "upTo1.0", "PeptidePlus", 0, "fineLines", true, null, null, null, null, null),
        ]), answer);
        var nothing = await Read<OutcomeStatsAnswer>("/api/analytics/outcomes?from=2025-01&to=2025-12", Roles.Admin);
        Assert.Empty(nothing.Groups);
        await As(Roles.Practitioner, s =>
        {
            s.Get.Url("/api/analytics/outcomes?from=2026-01&to=2026-02");
            s.StatusCodeShouldBe(403);
        });
        await As(Roles.Analyst, s =>
        {
            s.Get.Url("/api/analytics/outcomes?from=2026-02&to=2026-01");
            s.StatusCodeShouldBe(400);
        });
    }
}
