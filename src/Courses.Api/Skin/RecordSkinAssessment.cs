using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Courses.Domain.Assessments;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Skin;

public sealed record RecordSkinAssessmentRequest(
    [Mandatory] DateTimeOffset? AssessedAt,
    [Mandatory, OneOf(typeof(AssessmentKind))] string? Kind,
    [Mandatory(When = "kind is outcome")] Guid? CourseId,
    [Mandatory(When = "kind is healingCheck")] Guid? SessionId,
    [Mandatory] string? AssessorId,
    [Mandatory] IReadOnlyList<SkinScoreInput?>? Scores,
    IReadOnlyList<Guid>? PhotoIds,
    string? Notes);

/// <summary>One score: the scale's name as the clinic's protocol holds it, the value, and the area scored (none: the whole skin).</summary>
public sealed record SkinScoreInput([Mandatory] string? Scale, [Mandatory] decimal? Value, [OneOf(typeof(Area))] string? Area);

public sealed record SkinAssessedAnswer(
    Guid AssessmentId,
    [property: JsonIgnore] Guid ClientId,
    [property: JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/skin-evolution";
}

public static class RecordSkinAssessmentEndpoint
{
    public static (RecordSkinAssessment?, ProblemDetails) Validate(RecordSkinAssessmentRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var kind = input.Enum<AssessmentKind>("kind", request.Kind);
        var scores = Scores(input, request.Scores);
        if (request.Kind is not null && kind == AssessmentKind.HealingCheck && request.SessionId is null)
            input.Add("sessionId", "is required for a healing check: the session whose healing it follows.");
        if (request.Kind is not null && kind == AssessmentKind.Outcome)
        {
            if (request.CourseId is null) input.Add("courseId", "is required for an outcome: the course it concludes.");
            if (request.Scores is not null && scores.All(s => s.Scale != SkinScales.Gais))
                input.Add("scores", $"an outcome takes a {SkinScales.Gais} score (1 very much improved … 5 worse).");
        }
        if (request.PhotoIds is { Count: > InputErrors.MaxListLength }) input.Add("photoIds", $"has more than {InputErrors.MaxListLength} photos.");
        var command = new RecordSkinAssessment(Guid.CreateVersion7(),
            input.Time("assessedAt", request.AssessedAt),
            kind,
            request.CourseId,
            request.SessionId,
            input.RequiredText("assessorId", request.AssessorId),
            scores,
            [.. (request.PhotoIds ?? []).Distinct()],
            input.OptionalText("notes", request.Notes),
            user.Subject());
        return input.Checked(command);
    }

    private static IReadOnlyList<SkinScore> Scores(InputErrors input, IReadOnlyList<SkinScoreInput?>? scores)
    {
        if (scores is null || scores.Count == 0)
        {
            input.Add("scores", "needs at least one score.");
            return [];
        }
        if (scores.Count > InputErrors.MaxListLength) input.Add("scores", $"has more than {InputErrors.MaxListLength} scores.");
        var read = new List<SkinScore>();
        for (var i = 0; i < scores.Count; i++)
        {
            if (scores[i] is not { } score)
            {
                input.Add($"scores[{i}]", "is required.");
                continue;
            }
            input.Required($"scores[{i}].value", score.Value);
            read.Add(new SkinScore(input.RequiredText($"scores[{i}].scale", score.Scale, SkinScales.MaxNameLength), score.Value ?? 0,
                score.Area is null ? null : input.Enum<Area>($"scores[{i}].area", score.Area)));
        }
        foreach (var twice in read.GroupBy(s => (s.Scale, s.Area)).Where(g => g.Count() > 1))
            input.Add("scores", $"scores {twice.Key.Scale}{(twice.Key.Area is { } area ? $" on {JsonNamingPolicy.CamelCase.ConvertName(area.ToString())}" : "")} more than once.");
        return read;
    }

    [Refuses(RuleCodes.AlreadyRecorded, RuleCodes.UnknownCourse, RuleCodes.UnknownSession, RuleCodes.FutureTime,
            RuleCodes.AssessmentBeforeSession, RuleCodes.OutcomeBeforeSessions, RuleCodes.ScaleUnknown, RuleCodes.ScoreOutOfRange)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RecordSkinAssessment command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(RecordSkinAssessmentDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/skin-assessments")]
    [Authorize(Policy = Policies.Clinical)]
    public static (SkinAssessedAnswer, Events) Post(RecordSkinAssessmentRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (new SkinAssessedAnswer(decision.Events.OfType<SkinAssessed>().Single().AssessmentId, record.Id, record.Version + decision.Events.Count),
            new Events(decision.Events));
}
