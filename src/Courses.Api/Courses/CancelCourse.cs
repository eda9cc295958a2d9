using System.Security.Claims;
using Courses.Api.Http;
using Courses.Domain;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Courses.Api.Courses;

public static class CancelCourseEndpoint
{
    public static (Decision, ProblemDetails) Validate(CourseChangeRequest? request, Guid courseId, TreatmentRecord record,
        ClinicProtocol protocol, ClaimsPrincipal user, TimeProvider clock) =>
        CourseChangeRequest.Decide(request, reason =>
            CancelCourseDecision.Decide(record, new CancelCourse(courseId, reason, user.Subject()), protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/cancel")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(CourseChangeRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
