using Courses.Projections.Analytics;
using Courses.Projections.Clients;
using Courses.Projections.Consultations;
using Courses.Projections.Courses;
using Courses.Projections.Photos;
using Courses.Projections.Protocol;
using Courses.Projections.Recall;
using Courses.Projections.Records;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;

namespace Courses.Projections;

/// <summary>Every projection of the read side and its lifecycle, in one place.</summary>
public static class ReadModels
{
    /// <summary>
    /// Events a projection reads per page when it rebuilds or catches up. Each page costs a round trip and a commit
    /// whatever its size, so a rebuild of a million events pays that 200 times instead of 2 000.
    /// </summary>
    public const int PageSize = 5_000;

    private static void LargePages(AsyncOptions options) => options.BatchSize = PageSize;

    public static void AddReadModels(this StoreOptions options)
    {
        // The write model: folded live from the client's stream whenever a command loads it.
        options.Projections.Add<TreatmentRecordProjection>(ProjectionLifecycle.Live);

        options.Projections.Add<ClinicProtocolProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<ClientProfileProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<CourseProgressProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<DepthEscalationHistoryProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<SkinEvolutionProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<MaintenanceDueProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<BookedConsultationProjection>(ProjectionLifecycle.Inline, LargePages);
        options.Projections.Add<ClinicalPhotoProjection>(ProjectionLifecycle.Inline, LargePages);
        // Finding a client by name, phone, email or date of birth: the entry, its indexes and PostgreSQL's fuzzy matching.
        options.AddClientSearch();

        // Analytics and recall lag a moment behind the writes; the daemon builds them off the request path.
        options.Projections.Add<ClinicMonthlyStatsProjection>(ProjectionLifecycle.Async, LargePages);
        options.Projections.Add<LotUsageProjection>(ProjectionLifecycle.Async, LargePages);
        options.Projections.Add<ClinicOutcomeStatsProjection>(ProjectionLifecycle.Async, LargePages);

        // The lists behind the read routes: a client's courses, the clinic's maintenance window by due date, and the
        // day's schedule (consultations by time, sessions by next due date).
        options.Schema.For<CourseProgress>().Duplicate(x => x.ClientId);
        options.Schema.For<CourseProgress>().Duplicate(x => x.NextSessionDueOn, configure: index => index.TenancyScope = TenancyScope.PerTenant);
        options.Schema.For<BookedConsultation>().Duplicate(x => x.ScheduledAtUtc, configure: index => index.TenancyScope = TenancyScope.PerTenant);
        options.Schema.For<MaintenanceDue>().Duplicate(x => x.DueOn, configure: index => index.TenancyScope = TenancyScope.PerTenant);
        // The maintenance list cuts its page from this index alone, in the list's order: the rows of the pages before it
        // are skipped in the index, not read (page 10 read 550 blocks, now 7).
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType == typeof(MaintenanceDue)) mapping.AddIndex("tenant_id", "due_on", "id");
        });
        // A client's photos, newest first; the images a clinic still uses, by hash.
        options.Schema.For<ClinicalPhoto>().Duplicate(x => x.ClientId);
        options.Schema.For<ClinicalPhoto>().Duplicate(x => x.Sha256, configure: index => index.TenancyScope = TenancyScope.PerTenant);
        options.Schema.For<LotUsage>().Duplicate(x => x.LotKey, configure: index => index.TenancyScope = TenancyScope.PerTenant);
    }
}
