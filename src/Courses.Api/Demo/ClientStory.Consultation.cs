using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Screenings;
using static Courses.Api.Demo.BusinessTime;

namespace Courses.Api.Demo;

internal sealed partial class ClientStory
{
    private static readonly string[] DeclineReasons =
    [
        "Client wants to think it over.", "Cost: client will come back after the summer.",
        "Client prefers to try a chemical peel first.", "Client is worried about downtime before a wedding.",
    ];

    private static readonly string[] CancelledConsultationReasons =
    [
        "Client unwell; will call back to rebook.", "Client cancelled by phone: work commitments.", "No-show.",
    ];

    /// <summary>
    /// Books the consultation (day 0), sometimes rescheduled, and holds it: the story ends booked, cancelled or
    /// declined, or goes on with the course planned there. Returns today's day.
    /// </summary>
    private int Consultation(int registeredDay, TimeSpan registeredAt)
    {
        var concerns = Concerns();
        var consultationAt = Day(0, _draw.OpeningHours());
        var consultationId = _draw.NewId();
        var rescheduled = _aim != DemoStage.ConsultationBooked && registeredDay <= -12 && _draw.Chance(0.15);
        var firstBookedFor = rescheduled ? Day(-_draw.Between(3, 7), _draw.OpeningHours()) : consultationAt;
        Add(registeredAt + Minutes(3), _reception, (record, _, now) => BookConsultationDecision.Decide(record!,
            new BookConsultation(consultationId, _origin + firstBookedFor, _practitioner, concerns, _reception), _protocol, now));
        if (rescheduled)
            Add(Day(registeredDay + 1, _draw.OpeningHours()), _reception, (record, _, now) => RescheduleConsultationDecision.Decide(record!,
                new RescheduleConsultation(consultationId, _origin + consultationAt, "Client asked for a later date.", _reception),
                _protocol, now));

        // Today falls between the booking and the consultation it booked.
        if (_aim == DemoStage.ConsultationBooked) return Math.Min(registeredDay + _draw.Between(1, 5), -1);

        if (_aim == DemoStage.ConsultationCancelled)
        {
            var cancelDay = -_draw.Between(1, 2);
            Add(Day(cancelDay, _draw.OpeningHours()), _reception, (record, _, now) => CancelConsultationDecision.Decide(record!,
                new CancelConsultation(consultationId, _draw.Pick(CancelledConsultationReasons), _reception), _protocol, now));
            return Within(cancelDay + 1, cancelDay + 300, registeredDay);
        }

        var declined = _aim == DemoStage.Declined;
        var contraindicated = declined && _draw.Chance(0.4);
        Screening(consultationAt, contraindicated);
        if (!declined)
            Add(consultationAt + Minutes(10), _practitioner, (record, at, now) => RecordConsentDecision.Decide(record!,
                new RecordConsent(at, Consent.Microneedling, ConsentForm, _practitioner, ConsentEvidence), _protocol, now));

        var completedAt = consultationAt + Minutes(40);
        if (declined)
        {
            var reason = contraindicated
                ? "Contraindicated on screening: microneedling is not advised."
                : _draw.Pick(DeclineReasons);
            Add(completedAt, _practitioner, (record, at, now) => CompleteConsultationDecision.Decide(record!,
                new CompleteConsultation(consultationId, Guid.Empty, at, _practitioner, ConsultationOutcome.Decline, concerns,
                    null, reason, _practitioner), _protocol, now));
            return Within(1, LongestStoryDays, registeredDay);
        }

        var course = PlanCourse(concerns);
        var courseId = _draw.NewId();
        Add(completedAt, _practitioner, (record, at, now) => CompleteConsultationDecision.Decide(record!,
            new CompleteConsultation(consultationId, courseId, at, _practitioner, ConsultationOutcome.Plan, concerns,
                new CoursePlan(course.Areas, new Serum(course.Serum, null), course.ExplicitSessions), null, _practitioner),
            _protocol, now));

        return Course(courseId, course, registeredDay);
    }

    private void Screening(TimeSpan at, bool contraindicated)
    {
        var conditions = new List<Condition>();
        if (contraindicated) conditions.Add(_draw.Pick(Condition.KeloidHistory, Condition.Pregnancy, Condition.IsotretinoinCurrent, Condition.ActiveSkinInfection));
        else if (_draw.Chance(0.2)) conditions.Add(_draw.Pick(Condition.ColdSoreHistory, Condition.EczemaOrPsoriasis, Condition.Anticoagulants, Condition.IsotretinoinWithin6Months));
        var allergies = _draw.Chance(0.12) ? new[] { _draw.Pick("Penicillin", "Latex", "Nickel", "Lidocaine") } : [];
        var notes = conditions.Count > 0 ? "Discussed with the client at the consultation." : null;
        Add(at, _practitioner, (record, screenedAt, now) => RecordScreeningDecision.Decide(record!,
            new RecordScreening(screenedAt, conditions, allergies, notes, _practitioner), _protocol, now));
    }
}
