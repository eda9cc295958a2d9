using Courses.Domain;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Courses.Projections.Records;

/// <summary>Folds a client's stream into the domain's TreatmentRecord, through the domain's own Evolve.</summary>
public partial class TreatmentRecordProjection : SingleStreamProjection<TreatmentRecord, Guid>
{
    public override TreatmentRecord? Evolve(TreatmentRecord? snapshot, Guid id, IEvent e)
    {
        ChainHeads.Folded(e);
        var next = TreatmentRecord.Evolve(snapshot, e.Data);
        return next is null ? null : next with { Version = e.Version };
    }
}
