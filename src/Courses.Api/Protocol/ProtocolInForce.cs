using Courses.Domain.Protocol;
using Courses.Projections.Protocol;
using Marten.Services.BatchQuerying;

namespace Courses.Api.Protocol;

/// <summary>
/// The protocol the clinic's decisions are checked against; Wolverine loads it for every endpoint that asks for a
/// <see cref="ClinicProtocol"/>. As a query plan it rides in the same batch as the record the endpoint fetches, so a
/// command reads everything it decides on in one round trip. A clinic that never adjusted its protocol uses
/// DESIGN.md's defaults.
/// </summary>
public static class ProtocolInForce
{
    public static Query Load(IDocumentSession session) => new(ProtocolStream.IdFor(session.TenantId));

    public sealed record Query(Guid ProtocolId) : IQueryPlan<ClinicProtocol>, IBatchQueryPlan<ClinicProtocol>
    {
        public async Task<ClinicProtocol> Fetch(IQuerySession session, CancellationToken token) =>
            InForce(await session.LoadAsync<ClinicProtocolDocument>(ProtocolId, token));

        public async Task<ClinicProtocol> Fetch(IBatchedQuery query) => InForce(await query.Load<ClinicProtocolDocument>(ProtocolId));

        private static ClinicProtocol InForce(ClinicProtocolDocument? current) => current?.Protocol ?? ClinicProtocol.Default;
    }
}
