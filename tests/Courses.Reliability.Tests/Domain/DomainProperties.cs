using System.Text.Json;
using System.Text.Json.Serialization;
using Courses.Domain;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;
using Courses.Reliability.Tests.Harness;
using FsCheck;
using FsCheck.Fluent;

namespace Courses.Reliability.Tests.Domain;

/// <summary>One generated step: what to try, how far the clock moves first, and the details the command takes.</summary>
public sealed record Step(int What, int DaysLater, int HoursBack, int DepthStep, int Pick, ReactionKind Kind, Severity Severity)
{
    public override string ToString() => $"{Names[What]}(+{DaysLater}d -{HoursBack}h depth {DepthStep} pick {Pick} {Kind}/{Severity})";
    public static readonly string[] Names = ["session", "maintenance", "reaction", "resolve", "pause", "resume", "cancel"];
}

/// <summary>
/// For any sequence of commands a clinic might send about one client, decided by the domain's own decisions: refusals
/// append nothing, a replay of the (serialised) events equals the state, and the protocol's invariants hold.
/// </summary>
public sealed class DomainProperties
{
    private static readonly ClinicProtocol Protocol = ClinicProtocol.Default;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly Gen<Step> Steps =
        from what in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Constant(1)), (3, Gen.Constant(2)), (3, Gen.Constant(3)),
            (2, Gen.Constant(4)), (3, Gen.Constant(5)), (1, Gen.Constant(6)))
        from days in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 27)), (4, Gen.Choose(28, 40)))
        from hours in Gen.Choose(0, 48)
        from depth in Gen.Choose(-1, 4)
        from pick in Gen.Choose(0, 5)
        from kind in Gen.Elements(Enum.GetValues<ReactionKind>())
        from severity in Gen.Elements(Enum.GetValues<Severity>())
        select new Step(what, days, hours, depth, pick, kind, severity);

    [Fact]
    public void Any_command_sequence_keeps_the_invariants_and_replays_to_the_same_state()
    {
        var figures = new Figures("domain-properties");
        var sequences = Scale.Count(300, 3000);
        var property = Prop.ForAll(Arb.From(Gen.ListOf(Steps).Select(steps => steps.Take(Scale.Count(40, 80)).ToArray())),
            (Step[] steps) => Holds(steps, figures));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(sequences), property);
        figures.Add("sequences", sequences);
        figures.Report();
        Assert.True(figures["accepted"] > 0 && figures["refused"] > 0);
    }

    private static bool Holds(Step[] steps, Figures figures)
    {
        var (record, events, course) = PlannedCourse();
        var now = Start.AddHours(2);
        foreach (var step in steps)
        {
            now = now.AddDays(step.DaysLater);
            var decision = Decide(record, step, course, now);
            figures.Add("commands");
            if (!decision.IsAccepted)
            {
                figures.Add("refused");
                if (decision.Events.Count != 0) throw new InvalidOperationException($"{step} was refused but returned events");
                continue;
            }
            figures.Add("accepted");
            foreach (var e in decision.Events)
            {
                record = TreatmentRecord.Evolve(record, e)!;
                events.Add(e);
            }
        }
        CheckInvariants(events, record, steps);
        return true;
    }

    private static Decision Decide(TreatmentRecord record, Step step, Guid course, DateTimeOffset now)
    {
        var at = now.AddHours(-step.HoursBack);
        var previous = record.PreviousDepth(course, Area.Face) ?? 0.5m;
        var depth = Math.Clamp(previous + 0.25m * step.DepthStep, 0.5m, 1.5m);
        var areas = new[] { new AreaDepth(Area.Face, depth) };
        var serum = new Serum("HydraBoost", "L1");
        var reactions = record.Reactions.Keys.Order().ToList();
        return step.What switch
        {
            0 => RecordSessionDecision.Decide(record, new RecordSession(course, Guid.NewGuid(), at, "pr", areas, serum, depth > 1.0m, true, true, null, "p"), Protocol, now),
            1 => RecordMaintenanceSessionDecision.Decide(record, new RecordMaintenanceSession(course, Guid.NewGuid(), at, "pr", areas, serum, depth > 1.0m, true, true, null, "p"), Protocol, now),
            2 => ReportReactionDecision.Decide(record, new ReportReaction(Guid.NewGuid(), at, step.Kind, step.Severity, null, null, null, "p"), Protocol, now),
            3 => ResolveReactionDecision.Decide(record, new ResolveReaction(reactions.Count == 0 ? Guid.NewGuid() : reactions[step.Pick % reactions.Count], at, "ok", "p"), Protocol, now),
            4 => PauseCourseDecision.Decide(record, new PauseCourse(course, "holiday", "p"), Protocol, now),
            5 => ResumeCourseDecision.Decide(record, new ResumeCourse(course, "back", "p"), Protocol, now),
            _ => CancelCourseDecision.Decide(record, new CancelCourse(course, "moved", "p"), Protocol, now),
        };
    }

    private static (TreatmentRecord Record, List<object> Events, Guid Course) PlannedCourse()
    {
        var client = Guid.NewGuid();
        var consultation = Guid.NewGuid();
        var course = Guid.NewGuid();
        var events = new List<object>();
        TreatmentRecord? record = null;
        void Apply(Decision decision)
        {
            Assert.True(decision.IsAccepted, decision.Violation?.Detail);
            foreach (var e in decision.Events) { record = TreatmentRecord.Evolve(record, e); events.Add(e); }
        }
        Apply(RegisterClientDecision.Decide(new RegisterClient(client, "Prop Client", new DateOnly(1990, 1, 1), null, null, "p"), Start));
        Apply(RecordScreeningDecision.Decide(record!, new RecordScreening(Start, [], [], null, "p"), Protocol, Start));
        Apply(RecordConsentDecision.Decide(record!, new RecordConsent(Start, "microneedling", "v1", "p"), Protocol, Start));
        Apply(BookConsultationDecision.Decide(record!, new BookConsultation(consultation, Start.AddHours(1), "pr", [Concern.FineLines], "p"), Protocol, Start));
        Apply(CompleteConsultationDecision.Decide(record!, new CompleteConsultation(consultation, course, Start.AddHours(2), "pr",
            ConsultationOutcome.Plan, [Concern.FineLines], new CoursePlan([new PlannedArea(Area.Face, 0.5m)], new Serum("HydraBoost", "L1"), 6), null, "p"),
            Protocol, Start.AddHours(2)));
        return (record!, events, course);
    }

    private static void CheckInvariants(List<object> events, TreatmentRecord state, Step[] steps)
    {
        string Because() => "after " + string.Join(", ", steps.Select(s => s.ToString()));

        // Replay of the events as the store keeps them (JSON) equals the state the decisions were taken on.
        TreatmentRecord? replayed = null;
        foreach (var e in events)
            replayed = TreatmentRecord.Evolve(replayed, JsonSerializer.Deserialize(JsonSerializer.Serialize(e, e.GetType(), Json), e.GetType(), Json)!);
        Assert.True(JsonSerializer.Serialize(replayed, Json) == JsonSerializer.Serialize(state, Json), "replay differs " + Because());

        var paused = new HashSet<Guid>();
        var ended = new HashSet<Guid>();
        var lastCourseSession = new Dictionary<Guid, DateTimeOffset>();
        var sessions = new Dictionary<Guid, int>();
        DateTimeOffset? latest = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case CoursePaused p: paused.Add(p.CourseId); break;
                case CourseResumed r: paused.Remove(r.CourseId); break;
                case CourseCompleted c: ended.Add(c.CourseId); break;
                case CourseCancelled c: ended.Add(c.CourseId); break;
                case SessionRecorded s:
                    Assert.False(paused.Contains(s.CourseId), $"session {s.SessionNumber} on a paused course " + Because());
                    Assert.False(ended.Contains(s.CourseId), $"session {s.SessionNumber} on an ended course " + Because());
                    if (lastCourseSession.TryGetValue(s.CourseId, out var before))
                        Assert.True(DateOnly.FromDateTime(s.PerformedAt.Date).DayNumber - DateOnly.FromDateTime(before.Date).DayNumber >= Protocol.MinDaysBetweenCourseSessions,
                            $"sessions {before:O} and {s.PerformedAt:O} too close " + Because());
                    Assert.True(latest is null || s.PerformedAt >= latest, "session out of order " + Because());
                    lastCourseSession[s.CourseId] = s.PerformedAt;
                    latest = s.PerformedAt;
                    sessions[s.CourseId] = sessions.GetValueOrDefault(s.CourseId) + 1;
                    break;
                case MaintenanceSessionRecorded m:
                    Assert.True(latest is null || m.PerformedAt >= latest, "maintenance session out of order " + Because());
                    latest = m.PerformedAt;
                    break;
            }
        }
        foreach (var course in state.Courses.Values)
            Assert.True(sessions.GetValueOrDefault(course.Id) <= course.PlannedSessions, "more sessions than planned " + Because());
    }
}
