using Alba;
using Courses.Api.Tests.Harness;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Courses.Api.Http;
using Task = System.Threading.Tasks.Task;

namespace Courses.Api.Tests.Audit;

/// <summary>
/// DESIGN.md §9 in the FHIR export: allergies, the products and pen a session used, and consent evidence — and an
/// independent validator (Firely's, against the R4 core profiles from the specification package, offline) accepting it.
/// </summary>
public sealed class FhirTraceabilityTests(AppFixture fixture, ITestOutputHelper output) : StoryContext(fixture)
{
    private const string Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /// <summary>
    /// A client with a screening allergy (latex), an evidenced consent, two traced sessions, an allergic reaction to the
    /// numbing cream, and finally a withdrawn consent.
    /// </summary>
    private async Task<(Guid Client, Guid First, Guid Second, Guid Reaction)> TracedClient()
    {
        var client = await RegisteredClient();
        await Post(Roles.Practitioner, $"/api/clients/{client}/screenings",
            new { screenedAt = At(Clock.GetUtcNow()), conditions = Array.Empty<string>(), knownAllergies = new[] { "Latex" } });
        await Post(Roles.Practitioner, $"/api/clients/{client}/consents", new
        {
            signedAt = At(Clock.GetUtcNow()), procedure = "microneedling", formVersion = "v4", documentSha256 = Sha256.ToUpperInvariant(),
            explainedBy = Practitioner, risksExplained = new[] { "pain", "infection", "allergicReaction" }, method = "paper",
        });
        var course = await PlannedCourse(client, await BookedConsultation(client));
        var first = (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions", ClinicRequests.TracedSession(Clock.GetUtcNow(), Practitioner, 0.5m), 201))
            .GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromDays(30));
        var second = (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions", ClinicRequests.TracedSession(Clock.GetUtcNow(), Practitioner, 1.0m), 201))
            .GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromHours(3));
        var reaction = await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "allergicReaction", "moderate", second, "lidocalm 5%", "Hives where the cream was."));
        Clock.Advance(TimeSpan.FromDays(1));
        await Post(Roles.Practitioner, $"/api/clients/{client}/consents/withdraw", new { withdrawnAt = At(Clock.GetUtcNow()), reason = "Does not want further sessions." });
        return (client, first, second, reaction.ReactionId);
    }

    private async Task<Bundle> Exported(Guid client)
    {
        var result = await As(Roles.Auditor, s =>
        {
            s.Get.Url($"/api/clients/{client}/fhir");
            s.StatusCodeShouldBe(200);
        });
        return FhirJsonDeserializer.STRICT.Deserialize<Bundle>(await result.ReadAsTextAsync());
    }

    private static IEnumerable<T> Resources<T>(Bundle bundle) where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>();

    [Fact]
    public async Task The_export_carries_allergies_products_by_lot_the_pen_and_consent_evidence()
    {
        var (client, first, second, reaction) = await TracedClient();

        var bundle = await Exported(client);

        var allergies = Resources<AllergyIntolerance>(bundle).ToList();
        Assert.Equal(2, allergies.Count);
        var cream = allergies.Single(a => a.VerificationStatus!.Coding.Single().Code == "confirmed");
        Assert.Equal("lidocalm 5% (numbing cream)", cream.Code!.Text);
        Assert.Equal([AllergyIntolerance.AllergyIntoleranceCategory.Medication], cream.Category.Select(c => c!.Value));
        Assert.Equal("active", cream.ClinicalStatus!.Coding.Single().Code);
        var manifestation = Assert.Single(Assert.Single(cream.Reaction).Manifestation);
        Assert.Equal([("http://snomed.info/sct", "419076005"), ("urn:courses:vocabulary:reaction-kind", "allergicReaction")],
            manifestation.Coding.Select(c => (c.System, c.Code)));
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Moderate, cream.Reaction[0].Severity);
        Assert.Contains($"urn:uuid:{reaction}", cream.Reaction[0].Description);
        Assert.Contains("Hives where the cream was.", cream.Reaction[0].Description);
        var latex = allergies.Single(a => a.VerificationStatus!.Coding.Single().Code == "unconfirmed");
        Assert.Equal("Latex", latex.Code!.Text);
        Assert.Equal($"urn:uuid:{client}", latex.Asserter!.Reference);

        // Each session uses the serum and cream by lot, the cartridge by lot, and the one pen by its serial.
        var entries = bundle.Entry.ToDictionary(e => e.FullUrl!, e => e.Resource);
        var pens = Resources<Device>(bundle).Where(d => d.SerialNumber is not null).ToList();
        Assert.Equal("DP4-001234", Assert.Single(pens).SerialNumber);
        Assert.Equal("DermaPen 4", pens[0].DeviceName.Single().Name);
        foreach (var session in new[] { first, second })
        {
            var procedure = Resources<Procedure>(bundle).Single(p => p.Id == session.ToString());
            var used = procedure.UsedReference.Select(r => entries[r.Reference!]).ToList();
            Assert.Equal([("HydraBoost", "L-100"), ("LidoCalm 5%", "NC-77")],
                used.OfType<Medication>().Select(m => (m.Code!.Text, m.Batch!.LotNumber)));
            Assert.Equal("C-2207", Assert.Single(used.OfType<Device>(), d => d.SerialNumber is null).LotNumber);
            Assert.Same(pens[0], Assert.Single(used.OfType<Device>(), d => d.SerialNumber is not null));
            Assert.Equal([("http://snomed.info/sct", "89545001"), ("urn:courses:vocabulary:area", "face")],
                procedure.BodySite.Single().Coding.Select(c => (c.System, c.Code)));
        }

        var consent = Resources<Consent>(bundle).Single();
        Assert.Equal(Consent.ConsentState.Inactive, consent.Status);
        Assert.Equal(Sha256, consent.Identifier.Single().Value);
        Assert.Equal(Practitioner, consent.Performer.Single(p => p.Identifier is not null).Identifier!.Value);
        Assert.EndsWith("signed on paper", consent.Source is Attachment { Title: { } title } ? title : null);
        Assert.NotNull(consent.Provision!.Period!.End);
        Assert.Contains("Risks explained: pain, infection, allergic reaction.", consent.Text!.Div);
        Assert.Contains("Does not want further sessions.", consent.Text.Div);

        // Every resource has its provenance, and every reference resolves inside the bundle.
        Assert.Equal(Resources<Provenance>(bundle).Count(), bundle.Entry.Count(e => e.Resource is not Provenance));
        foreach (var entry in bundle.Entry.Where(e => e.Resource is not Provenance))
            Assert.Single(Resources<Provenance>(bundle), p => p.Target.Any(t => t.Reference == entry.FullUrl));
    }

    private static readonly Lazy<Validator> R4Validator = new(() =>
    {
        // The R4 core from the specification package's specification.zip beside the tests: no network.
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source, LocalTerminologyService.CreateDefaultForCore(source));
    });

    [Fact]
    public async Task Firelys_validator_finds_no_error_in_an_exported_bundle()
    {
        var (client, _, second, _) = await TracedClient();
        Clock.Advance(TimeSpan.FromHours(1));
        await Post(Roles.Practitioner, $"/api/clients/{client}/consents",
            new { signedAt = At(Clock.GetUtcNow()), procedure = "microneedling", formVersion = "v5" });
        await Post(Roles.Practitioner, $"/api/clients/{client}/photo-consents",
            new { signedAt = At(Clock.GetUtcNow()), formVersion = "photo-v1", uses = new[] { "clinicalRecord" } });
        var photo = await PhotoTaken(client, second);
        var retracted = await PhotoTaken(client);
        await Post(Roles.Practitioner, $"/api/clients/{client}/photos/{retracted}/retract", new { reason = "Taken in error." });
        var bundle = await Exported(client);
        var media = Resources<Media>(bundle).ToDictionary(m => Guid.Parse(m.Id!));
        Assert.Equal(EventStatus.Completed, media[photo].Status);
        Assert.Equal(EventStatus.EnteredInError, media[retracted].Status);
        Assert.Equal($"/api/clients/{client}/photos/{photo}/image", media[photo].Content.Url);
        Assert.Equal($"urn:uuid:{second}", Assert.Single(media[photo].PartOf).Reference);
        Assert.Equal(64, media[photo].Identifier.Single(i => i.System == global::Courses.Api.Audit.FhirExport.ImageSha256System).Value!.Length);

        var outcome = R4Validator.Value.Validate(bundle);

        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        var warnings = outcome.Issue.Count(i => i.Severity == OperationOutcome.IssueSeverity.Warning);
        var information = outcome.Issue.Count(i => i.Severity == OperationOutcome.IssueSeverity.Information);
        var counts = $"Firely validator (Firely.Fhir.Validation.R4, R4 core): {errors.Count} errors, {warnings} warnings, {information} information " +
                     $"for a Bundle of {bundle.Entry.Count} resources.";
        output.WriteLine(counts);
        Console.WriteLine(counts);
        foreach (var issue in outcome.Issue.Where(i => i.Severity != OperationOutcome.IssueSeverity.Information))
            output.WriteLine($"{issue.Severity}: {issue.Details?.Text} at {string.Join(", ", issue.Expression)}");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Details?.Text} at {string.Join(", ", e.Expression)}")));

        // The validator does look: the same Bundle with an allergy that names no patient (1..1 in R4) has an error.
        var broken = (Bundle)bundle.DeepCopy();
        Resources<AllergyIntolerance>(broken).First().Patient = null!;
        Assert.Contains(R4Validator.Value.Validate(broken).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
    }
}
