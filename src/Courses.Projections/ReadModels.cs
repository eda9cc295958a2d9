using Courses.Projections.Analytics;
using Courses.Projections.Clients;
using Courses.Projections.Protocol;
using Courses.Projections.Recall;
using Courses.Projections.Records;
using JasperFx.Events.Projections;
using Marten;

namespace Courses.Projections;

/// <summary>Every projection of the read side and its lifecycle, in one place.</summary>
public static class ReadModels
{
    public static void AddReadModels(this StoreOptions options)
    {
        // The write model: folded live from the client's stream whenever a command loads it.
        options.Projections.Add<TreatmentRecordProjection>(ProjectionLifecycle.Live);

        options.Projections.Add<ClinicProtocolProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ClientProfileProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ClinicMonthlyStatsProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<SerumLotUsageProjection>(ProjectionLifecycle.Async);
    }
}
