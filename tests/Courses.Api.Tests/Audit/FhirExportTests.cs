using Alba;
using Courses.Api.Tests.Harness;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;
using Courses.Api.Http;

namespace Courses.Api.Tests.Audit;

public sealed class FhirExportTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Export(Guid client) => $"/api/clients/{client}/fhir";

    /// <summary>A course with two sessions and a mild reaction after the second (mild: nothing pauses the course).</summary>
    private async Task<(Guid Client, Guid Course, Guid First, Guid Second, Guid Reaction)> TreatedClient()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var first = (await RecordedSession(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(35));
        var second = (await RecordedSession(client, course, 0.75m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(1));
        var reaction = (await Post(Roles.Practitioner, $"/api/clients/{client}/reactions", new
        {
            occurredAt = At(Clock.GetUtcNow()),
            kind = "redness",
            severity = "mild",
            sessionId = second,
            suspectedProduct = "HydraBoost",
            notes = "warm <and> tight",
        }, 201)).GetProperty("reactionId").GetGuid();
        return (client, course, first, second, reaction);
    }

    private async Task<Bundle> Exported(Guid client, string role = Roles.Auditor)
    {
        var result = await As(role, s =>
        {
            s.Get.Url(Export(client));
            s.StatusCodeShouldBe(200);
        });
        Assert.StartsWith("application/fhir+json", result.Context.Response.ContentType);
        // Strict: the export must be valid FHIR R4 by the library's own reading, not just JSON.
        return FhirJsonDeserializer.STRICT.Deserialize<Bundle>(await result.ReadAsTextAsync());
    }

    private static IEnumerable<T> Resources<T>(Bundle bundle) where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>();

    private static string Url(Guid id) => $"urn:uuid:{id}";

    private static IEnumerable<ResourceReference> References(Base node)
    {
        foreach (var (_, value) in node.EnumerateElements())
        {
            IEnumerable<Base> children = value switch
            {
                Base one => [one],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is ResourceReference reference) yield return reference;
                foreach (var inner in References(child)) yield return inner;
            }
        }
    }

    [Fact]
    public async Task The_export_holds_the_record_as_fhir_resources_whose_references_resolve_inside_the_bundle()
    {
        var (client, course, first, second, reaction) = await TreatedClient();

        var bundle = await Exported(client);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Single(Resources<Patient>(bundle));
        Assert.Single(Resources<Consent>(bundle));
        Assert.Equal(2, Resources<Procedure>(bundle).Count());
        Assert.Single(Resources<AdverseEvent>(bundle));
        Assert.Single(Resources<CarePlan>(bundle));
        // Each session's serum is a Medication by lot.
        Assert.Equal(["L-100", "L-100"], Resources<Medication>(bundle).Select(m => m.Batch!.LotNumber));
        Assert.Equal(8, Resources<Provenance>(bundle).Count());

        var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToList();
        Assert.All(fullUrls, url => Assert.StartsWith("urn:uuid:", url));
        Assert.Equal(fullUrls.Count, fullUrls.Distinct().Count());
        var references = References(bundle).Where(r => r.Reference is not null).Select(r => r.Reference).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, fullUrls));

        // Every other resource has exactly one Provenance, naming the signed-in user whose request created it.
        foreach (var entry in bundle.Entry.Where(e => e.Resource is not Provenance))
        {
            var provenance = Assert.Single(Resources<Provenance>(bundle), p => p.Target.Any(t => t.Reference == entry.FullUrl));
            var who = Assert.Single(provenance.Agent).Who;
            Assert.Equal(entry.Resource is Patient ? "user-reception" : "user-practitioner", who.Display);
            Assert.NotNull(provenance.Recorded);
        }

        var patient = Resources<Patient>(bundle).Single();
        Assert.Equal(Url(client), bundle.Entry.Single(e => e.Resource is Patient).FullUrl);
        Assert.Equal("Ann Lee", patient.Name.Single().Text);
        Assert.Equal("1990-04-01", patient.BirthDate);

        var procedures = Resources<Procedure>(bundle).ToDictionary(p => p.Id!);
        var later = procedures[second.ToString()];
        Assert.Equal(EventStatus.Completed, later.Status);
        Assert.Contains(later.Note, n => n.Text!.Contains("0.75 mm") && n.Text.Contains("face"));
        Assert.Contains(procedures[first.ToString()].Note, n => n.Text!.Contains("0.5 mm"));
        Assert.Equal("Face", Assert.Single(later.BodySite).Text);
        Assert.Equal("HydraBoost", Assert.Single(later.UsedCode).Text);
        Assert.Contains(later.Note, n => n.Text!.Contains("lot L-100"));
        Assert.Equal(Practitioner, Assert.Single(later.Performer).Actor!.Identifier!.Value);
        Assert.Equal(Clock.GetUtcNow().AddDays(-1), ((FhirDateTime)later.Performed!).ToDateTimeOffset(TimeSpan.Zero));
        Assert.Equal(Url(course), Assert.Single(later.BasedOn).Reference);

        var adverse = Resources<AdverseEvent>(bundle).Single();
        Assert.Equal(reaction.ToString(), adverse.Id);
        Assert.Contains(adverse.SuspectEntity, s => s.Instance!.Reference == Url(second));
        Assert.Contains(adverse.SuspectEntity, s => s.Instance!.Display == "HydraBoost");
        Assert.Equal("mild", adverse.Severity!.Coding.Single().Code);
        Assert.Equal("redness", adverse.Event!.Text);
        Assert.Contains("warm &lt;and&gt; tight", adverse.Text!.Div);

        var plan = Resources<CarePlan>(bundle).Single();
        Assert.Equal(RequestStatus.Active, plan.Status);
        var activity = plan.Activity.First();
        Assert.Equal(3, ((Timing)activity.Detail!.Scheduled!).Repeat!.Count);
        Assert.Equal(CarePlan.CarePlanActivityStatus.InProgress, activity.Detail.Status);
        Assert.Equal("fineLines", activity.Detail.ReasonCode.Single().Coding.Single().Code);
        Assert.Equal([Url(first), Url(second)], activity.OutcomeReference.Select(r => r.Reference));
    }

    [Fact]
    public async Task A_practitioner_may_export_and_gets_the_same_bundle_twice()
    {
        var (client, _, _, _, _) = await TreatedClient();

        var once = await Exported(client, Roles.Practitioner);
        var again = await Exported(client, Roles.Practitioner);

        // Consents and provenances have no entity id of their own; their ids are derived, so a re-export matches.
        Assert.Equal(once.Entry.Select(e => e.FullUrl), again.Entry.Select(e => e.FullUrl));
    }

    [Fact]
    public async Task A_completed_course_maps_to_a_completed_plan_with_its_maintenance_session_and_a_resolved_reaction()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(184));
        var maintenance = (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/maintenance-sessions",
            Session(Clock.GetUtcNow(), 0.5m), 201)).GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromDays(1));
        var reaction = (await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "peeling", severity = "mild" }, 201)).GetProperty("reactionId").GetGuid();
        Clock.Advance(TimeSpan.FromDays(2));
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions/{reaction}/resolve",
            new { resolvedAt = At(Clock.GetUtcNow()), outcome = "settled with moisturiser" });

        var bundle = await Exported(client);

        var plan = Resources<CarePlan>(bundle).Single();
        Assert.Equal(RequestStatus.Completed, plan.Status);
        Assert.NotNull(plan.Period?.End);
        var upkeep = plan.Activity[1];
        Assert.Equal([Url(maintenance)], upkeep.OutcomeReference.Select(r => r.Reference));
        var procedure = Resources<Procedure>(bundle).Single(p => p.Id == maintenance.ToString());
        Assert.Equal("maintenance", procedure.Category!.Coding.Single().Code);

        var adverse = Resources<AdverseEvent>(bundle).Single();
        Assert.Empty(adverse.SuspectEntity);
        Assert.Equal("resolved", adverse.Outcome!.Coding.Single().Code);
        Assert.Equal("settled with moisturiser", adverse.Outcome.Text);
        Assert.Equal(Resources<Provenance>(bundle).Count(), bundle.Entry.Count(e => e.Resource is not Provenance));
    }

    [Fact]
    public async Task Each_skin_score_is_an_observation_coded_by_its_scale_and_a_healing_check_is_part_of_its_session()
    {
        var (client, course, first, _, _) = await TreatedClient();
        var checkedAt = Clock.GetUtcNow().AddHours(1);
        Clock.Advance(TimeSpan.FromHours(2));
        await Assessed(client, Assessment(checkedAt, "healingCheck", [Score("erythema", 1, "face"), Score("pain", 3)], sessionId: first,
            notes: "Settling well."));
        await Assessed(client, Assessment(Clock.GetUtcNow(), "progress", [Score("mMasi", 7.4m)], courseId: course));

        var bundle = await Exported(client);

        var observations = Resources<Observation>(bundle).ToList();
        Assert.Equal(3, observations.Count);
        var erythema = observations.Single(o => o.Code.Coding.Single().Code == "erythema");
        Assert.Equal("urn:courses:vocabulary:scale", erythema.Code.Coding.Single().System);
        Assert.Equal("Clinician Erythema Assessment (healing)", erythema.Code.Text);
        Assert.Equal(ObservationStatus.Final, erythema.Status);
        Assert.Equal(1m, ((Quantity)erythema.Value!).Value);
        Assert.Equal(["89545001", "face"], erythema.BodySite!.Coding.Select(c => c.Code));
        Assert.Equal(checkedAt, ((FhirDateTime)erythema.Effective!).ToDateTimeOffset(TimeSpan.Zero));
        Assert.Equal(Url(first), Assert.Single(erythema.PartOf).Reference);
        Assert.Contains(erythema.Note, n => n.Text == "Settling well.");
        Assert.Equal(Practitioner, Assert.Single(erythema.Performer).Identifier!.Value);
        var pain = observations.Single(o => o.Code.Coding.Single().Code == "pain");
        Assert.Null(pain.BodySite);
        var pigmentation = observations.Single(o => o.Code.Coding.Single().Code == "mMasi");
        Assert.Equal(7.4m, ((Quantity)pigmentation.Value!).Value);
        Assert.Empty(pigmentation.PartOf);
        Assert.Equal(Url(course), Assert.Single(pigmentation.BasedOn).Reference);
        // Each observation has its provenance, and every reference resolves inside the bundle.
        Assert.All(observations, o => Assert.Single(Resources<Provenance>(bundle), p => p.Target.Any(t => t.Reference == $"urn:uuid:{o.Id}")));
        var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToHashSet();
        Assert.All(References(bundle).Where(r => r.Reference is not null), r => Assert.Contains(r.Reference, fullUrls));
    }

    [Theory]
    [InlineData(Roles.Reception)]
    [InlineData(Roles.Analyst)]
    public async Task Reception_and_analysts_may_not_export(string role)
    {
        var (client, _) = await ClientWithPlannedCourse();
        await As(role, s =>
        {
            s.Get.Url(Export(client));
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task Another_clinics_client_and_an_unknown_client_are_404()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await As(Roles.Auditor, s =>
        {
            s.Get.Url(Export(client));
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        await As(Roles.Auditor, s =>
        {
            s.Get.Url(Export(Guid.NewGuid()));
            s.StatusCodeShouldBe(404);
        });
    }
}
