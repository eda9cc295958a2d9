using System.Security.Claims;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Courses;

public static class ResumeCourseEndpoint
{
    public static (ResumeCourse?, ProblemDetails) Validate(CourseChangeRequest? request, Guid courseId, ClaimsPrincipal user) =>
        CourseChangeRequest.Read(request, reason => new ResumeCourse(courseId, reason, user.Subject()));

    [Refuses(RuleCodes.CourseNotPaused, RuleCodes.UnresolvedReaction)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(ResumeCourse command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(ResumeCourseDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/resume")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(CourseChangeRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
