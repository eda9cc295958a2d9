using System.Security.Claims;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Courses;

public static class CancelCourseEndpoint
{
    public static (CancelCourse?, ProblemDetails) Validate(CourseChangeRequest? request, Guid courseId, ClaimsPrincipal user) =>
        CourseChangeRequest.Read(request, reason => new CancelCourse(courseId, reason, user.Subject()));

    [Refuses(RuleCodes.CourseNotActive)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(CancelCourse command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(CancelCourseDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/cancel")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(CourseChangeRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
