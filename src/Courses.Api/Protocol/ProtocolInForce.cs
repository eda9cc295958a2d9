using Courses.Api.Hosting;
using Courses.Domain.Protocol;
using Courses.Projections.Protocol;
using Marten;

namespace Courses.Api.Protocol;

/// <summary>
/// Loads the protocol the clinic's decisions are checked against; Wolverine runs it for every endpoint that
/// asks for a <see cref="ClinicProtocol"/>. A clinic that never adjusted its protocol uses DESIGN.md's defaults.
/// </summary>
public static class ProtocolInForce
{
    public static async Task<ClinicProtocol> LoadAsync(IDocumentSession session, CancellationToken cancellation)
    {
        var current = await session.LoadAsync<ClinicProtocolDocument>(ProtocolStream.IdFor(session.TenantId), cancellation);
        return current?.Protocol ?? ClinicProtocol.Default;
    }

    public static bool IsNeededBy(Type endpoint) =>
        endpoint.GetMethods().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(ClinicProtocol)));
}
