using System.Security.Claims;
using Courses.Api.Webhooks;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Courses;

/// <summary>The body of pause, resume and cancel: why the practitioner changes the course.</summary>
public sealed record CourseChangeRequest([Mandatory] string? Reason)
{
    /// <summary>The command the reason given makes, or what is wrong with the body; shared by pause, resume and cancel.</summary>
    public static (T?, ProblemDetails) Read<T>(CourseChangeRequest? request, Func<string, T> command) where T : class
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        return input.Checked(command(input.RequiredText("reason", request.Reason, InputErrors.MaxTextLength)));
    }
}

public static class PauseCourseEndpoint
{
    public static (PauseCourse?, ProblemDetails) Validate(CourseChangeRequest? request, Guid courseId, ClaimsPrincipal user) =>
        CourseChangeRequest.Read(request, reason => new PauseCourse(courseId, reason, user.Subject()));

    [Refuses(RuleCodes.CourseNotActive, RuleCodes.CoursePaused)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(PauseCourse command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(PauseCourseDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/pause")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events, OutgoingMessages) Post(CourseChangeRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClaimsPrincipal user, Subscriptions subscriptions) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events), WebhookNotice.For(user.Clinic(), record, decision, subscriptions));
}
