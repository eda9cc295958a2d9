using System.Text.Json;
using Alba;
using Courses.Api.Consultations;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Consultations;

namespace Courses.Api.Tests.Treatment;

public sealed class ConsultationTests(AppFixture fixture) : StoryContext(fixture)
{
    [Fact]
    public async Task Booking_answers_201_with_the_consultation_and_the_new_version()
    {
        var client = await RegisteredClient();
        var result = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { scheduledAt = At(Clock.GetUtcNow().AddDays(10)), practitionerId = Practitioner, concerns = new[] { "acneScars" } })
                .ToUrl($"/api/clients/{client}/consultations");
            s.StatusCodeShouldBe(201);
            s.Header("ETag").SingleValueShouldEqual("\"2\"");
        });
        var id = (await AnswerOf<ConsultationBookedAnswer>(result)).ConsultationId;
        Assert.Equal($"/api/clients/{client}/consultations/{id}", result.Context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task Booking_validates_its_fields()
    {
        var client = await RegisteredClient();
        await Invalid($"/api/clients/{client}/consultations", new { concerns = new[] { "wrinkles" } },
            "scheduledAt", "practitionerId", "concerns[0]");
    }

    [Fact]
    public async Task Completing_without_a_recent_screening_is_refused()
    {
        var client = await RegisteredClient();
        var consultation = await BookedConsultation(client);
        await Refused($"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" }, plan = Plan() },
            "screening-required");
    }

    [Fact]
    public async Task Completing_with_a_plan_while_contraindicated_is_refused_but_declining_is_not()
    {
        var client = await RegisteredClient();
        await Screened(client, "pregnancy");
        var consultation = await BookedConsultation(client);
        var url = $"/api/clients/{client}/consultations/{consultation}/complete";
        await Refused(url, new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" }, plan = Plan() },
            "contraindicated");

        var declined = await CompletedConsultation(client, consultation, "decline", declineReason: "pregnant");
        ReadModel.Equal(new ConsultationCompletedAnswer(consultation, ConsultationOutcome.Decline, CourseId: null, PlannedSessions: null, client, 0), declined);
    }

    [Fact]
    public async Task A_plan_starting_deeper_than_the_area_allows_is_refused()
    {
        var client = await RegisteredClient();
        await Screened(client);
        var consultation = await BookedConsultation(client);
        await Refused($"/api/clients/{client}/consultations/{consultation}/complete",
            new
            {
                completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" },
                plan = new { areas = new[] { new { area = "underEye", startingDepthMm = 0.55m } }, serum = new { product = "HydraBoost" } },
            },
            "depth-out-of-range");
    }

    [Fact]
    public async Task A_plan_outcome_without_a_plan_is_400()
    {
        var client = await RegisteredClient();
        var consultation = await BookedConsultation(client);
        await Invalid($"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan" }, "plan");
    }

    [Fact]
    public async Task A_cancelled_consultation_cannot_be_rescheduled_or_completed()
    {
        var client = await RegisteredClient();
        await Screened(client);
        var consultation = await BookedConsultation(client);
        await Post(Roles.Reception, $"/api/clients/{client}/consultations/{consultation}/cancel", new { reason = "client ill" });

        await Refused($"/api/clients/{client}/consultations/{consultation}/reschedule",
            new { scheduledAt = At(Clock.GetUtcNow().AddDays(20)) }, "consultation-not-open", Roles.Reception);
        await Refused($"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan", plan = Plan() }, "consultation-not-open");
    }

    [Fact]
    public async Task Rescheduling_moves_the_booking()
    {
        var client = await RegisteredClient();
        var consultation = await BookedConsultation(client);
        var answer = await Accepted($"/api/clients/{client}/consultations/{consultation}/reschedule",
            new { scheduledAt = At(Clock.GetUtcNow().AddDays(30)), reason = "practitioner away" }, Roles.Reception);
        ReadModel.Equal(new RecordedAnswer(client, 3), answer); // registered, booked, rescheduled
    }

    [Fact]
    public async Task An_unknown_consultation_or_client_is_404_and_another_clinic_sees_neither()
    {
        var client = await RegisteredClient();
        var consultation = await BookedConsultation(client);
        var body = new { reason = "x" };
        await Post(Roles.Reception, $"/api/clients/{client}/consultations/{Guid.NewGuid()}/cancel", body, 404);
        await Post(Roles.Reception, $"/api/clients/{Guid.NewGuid()}/consultations/{consultation}/cancel", body, 404);
        await As(Roles.Reception, s =>
        {
            s.Post.Json(body).ToUrl($"/api/clients/{client}/consultations/{consultation}/cancel");
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
    }

    [Fact]
    public async Task A_business_time_past_the_tolerance_is_refused_as_future_time()
    {
        var client = await RegisteredClient();
        await Refused($"/api/clients/{client}/screenings",
            new { screenedAt = At(Clock.GetUtcNow().AddMinutes(6)), conditions = Array.Empty<string>(), knownAllergies = Array.Empty<string>() },
            "future-time");
    }

    [Fact]
    public async Task A_time_without_an_offset_is_400()
    {
        var client = await RegisteredClient();
        await Post(Roles.Practitioner, $"/api/clients/{client}/consents",
            new { signedAt = "2026-01-05T09:00:00", procedure = "microneedling", formVersion = "v3" }, 400);
    }

    [Fact]
    public async Task Consent_is_for_microneedling_only()
    {
        var client = await RegisteredClient();
        await Invalid($"/api/clients/{client}/consents",
            new { signedAt = At(Clock.GetUtcNow()), procedure = "botox", formVersion = "v3" }, "procedure");
    }

    [Fact]
    public async Task Reception_cannot_record_clinical_facts()
    {
        var client = await RegisteredClient();
        await Post(Roles.Reception, $"/api/clients/{client}/screenings",
            new { screenedAt = At(Clock.GetUtcNow()), conditions = Array.Empty<string>(), knownAllergies = Array.Empty<string>() }, 403);
    }

    [Fact]
    public async Task The_booked_consultation_is_readable_at_its_location()
    {
        var client = await RegisteredClient();
        var scheduled = Clock.GetUtcNow().AddDays(10);
        var created = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { scheduledAt = At(scheduled), practitionerId = Practitioner, concerns = new[] { "hairLoss" } })
                .ToUrl($"/api/clients/{client}/consultations");
            s.StatusCodeShouldBe(201);
        });
        var location = created.Context.Response.Headers.Location.ToString();

        var read = await As(Roles.Auditor, s =>
        {
            s.Get.Url(location);
            s.StatusCodeShouldBeOk();
            s.Header("ETag").SingleValueShouldEqual("\"2\"");
        });
        var id = (await AnswerOf<ConsultationBookedAnswer>(created)).ConsultationId;
        ReadModel.Equal(new Consultation(id, ConsultationStatus.Booked, scheduled, Practitioner, [Concern.HairLoss], BookedAt: Clock.GetUtcNow()),
            await AnswerOf<Consultation>(read));

        await As(Roles.Auditor, s => { s.Get.Url(location); s.StatusCodeShouldBe(404); }, clinic: Tokens.OtherClinic);
        await As(Roles.Auditor, s => { s.Get.Url($"/api/clients/{client}/consultations/{Guid.NewGuid()}"); s.StatusCodeShouldBe(404); });
        await As(Roles.Analyst, s => { s.Get.Url(location); s.StatusCodeShouldBe(403); });
    }
}
