using System.Security.Claims;
using Courses.Api.Http;
using Courses.Api.Webhooks;
using Courses.Domain;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Courses.Api.Courses;

/// <summary>The body of pause, resume and cancel: why the practitioner changes the course.</summary>
public sealed record CourseChangeRequest(string? Reason)
{
    /// <summary>The decision on the reason given, or what is wrong with the body; shared by pause, resume and cancel.</summary>
    public static (Decision, ProblemDetails) Decide(CourseChangeRequest? request, Func<string, Decision> decide)
    {
        if (request is null) return Verdicts.Invalid(InputErrors.MissingBody());
        var input = new InputErrors();
        var reason = input.RequiredText("reason", request.Reason, InputErrors.MaxTextLength);
        return input.ThenDecide(() => decide(reason));
    }
}

public static class PauseCourseEndpoint
{
    public static (Decision, ProblemDetails) Validate(CourseChangeRequest? request, Guid courseId, TreatmentRecord record,
        ClinicProtocol protocol, ClaimsPrincipal user, TimeProvider clock) =>
        CourseChangeRequest.Decide(request, reason =>
            PauseCourseDecision.Decide(record, new PauseCourse(courseId, reason, user.Subject()), protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/pause")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events, OutgoingMessages) Post(CourseChangeRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClaimsPrincipal user) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events), WebhookNotice.For(user.Clinic(), record, decision));
}
