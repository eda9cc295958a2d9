using Courses.Projections.Clients;
using Courses.Projections.Courses;
using Marten.Services.BatchQuerying;

namespace Courses.Api.Writes;

/// <summary>
/// The read models a command on a client's record will update, loaded in the batch that fetches the record, into the
/// session's identity map: the inline projections then find them there at commit instead of each reading its own
/// document in a round trip of its own. Those that the command leaves alone are read and dropped.
/// </summary>
public static class ReadModelsInHand
{
    public static Plan Load(IDocumentSession session, Guid clientId, HttpContext http)
    {
        session.UseIdentityMapFor<ClientProfile>();
        session.UseIdentityMapFor<DepthEscalationHistory>();
        session.UseIdentityMapFor<SkinEvolution>();
        Guid? courseId = null;
        if (http.Request.RouteValues.TryGetValue("courseId", out var value) && Guid.TryParse(value?.ToString(), out var course))
        {
            session.UseIdentityMapFor<CourseProgress>();
            courseId = course;
        }
        return new Plan(clientId, courseId);
    }

    /// <summary>Endpoints that write to a client's record named by the route.</summary>
    public static bool Applies(Wolverine.Http.HttpChain chain) =>
        !chain.HttpMethods.Contains("GET") && chain.RoutePattern?.GetParameter("clientId") is not null
        && EndpointParameters.AsksFor<TreatmentRecord>(chain.Method.HandlerType);

    public sealed record Plan(Guid ClientId, Guid? CourseId) : IBatchQueryPlan<Loaded>
    {
        public async Task<Loaded> Fetch(IBatchedQuery query)
        {
            var profile = query.Load<ClientProfile>(ClientId);
            var depths = query.Load<DepthEscalationHistory>(ClientId);
            var skin = query.Load<SkinEvolution>(ClientId);
            var course = CourseId is { } id ? query.Load<CourseProgress>(id) : Task.FromResult<CourseProgress?>(null);
            await Task.WhenAll(profile, depths, skin, course);
            return new Loaded();
        }
    }

    /// <summary>Nothing to hand on: what was loaded waits in the session's identity map.</summary>
    public sealed record Loaded;
}
