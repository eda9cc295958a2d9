using Courses.Domain.Protocol;

namespace Courses.Api.Protocol;

public static class GetProtocolEndpoint
{
    /// <summary>The protocol every decision of this clinic is checked against; any role of the clinic may read it.</summary>
    [WolverineGet("/api/protocol")]
    [Authorize]
    public static ClinicProtocol Get(ClinicProtocol protocol, HttpContext http)
    {
        http.Response.Headers.ETag = ETags.For(protocol.Version);
        return protocol;
    }
}
