using Courses.Projections.Analytics;
using Courses.Projections.Clients;
using Courses.Projections.Consultations;
using Courses.Projections.Courses;
using Courses.Projections.Photos;
using Courses.Projections.Protocol;
using Courses.Projections.Recall;
using Courses.Projections.Records;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
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

    /// <summary>
    /// The one projection a one-pass rebuild registers in place of all the others (see <see cref="AddReadModels"/>).
    /// </summary>
    public const string OnePass = "ReadModels";

    /// <summary>Written in the same transaction as their events.</summary>
    private static IEnumerable<IProjectionSource<IDocumentOperations, IQuerySession>> Inline() =>
    [
        new ClinicProtocolProjection(), new ClientProfileProjection(), new CourseProgressProjection(),
        new DepthEscalationHistoryProjection(), new SkinEvolutionProjection(), new MaintenanceDueProjection(),
        new BookedConsultationProjection(), new ClinicalPhotoProjection(),
        // Finding a client by name, phone, email or date of birth: the entry, its indexes and PostgreSQL's fuzzy matching.
        new ClientSearchProjection(),
    ];

    /// <summary>Analytics and recall lag a moment behind the writes; the daemon builds them off the request path.</summary>
    private static IEnumerable<IProjectionSource<IDocumentOperations, IQuerySession>> Async() =>
        [new ClinicMonthlyStatsProjection(), new LotUsageProjection(), new ClinicOutcomeStatsProjection()];

    /// <summary>
    /// Every read model. With <paramref name="onePassRebuild"/> (only for a full <c>projections rebuild</c>) they are the
    /// members of one composite projection instead, which reads each page of events once, folds it into every read model
    /// and commits them together: the service itself never runs so, its inline read models are written with their events.
    /// </summary>
    public static void AddReadModels(this StoreOptions options, bool onePassRebuild = false)
    {
        // The write model: folded live from the client's stream whenever a command loads it.
        options.Projections.Add<TreatmentRecordProjection>(ProjectionLifecycle.Live);

        if (onePassRebuild)
            options.Projections.CompositeProjectionFor(OnePass, composite =>
            {
                // Pages of 20 000 cost the same CPU as 5 000 and half again the memory (README: projection rebuilds).
                composite.Options.BatchSize = PageSize;
                foreach (var projection in Inline().Concat(Async())) composite.Add(projection);
            });
        else
        {
            foreach (var projection in Inline()) options.Projections.Add(projection, ProjectionLifecycle.Inline, LargePages);
            foreach (var projection in Async()) options.Projections.Add(projection, ProjectionLifecycle.Async, LargePages);
        }
        options.AddClientSearch();

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
