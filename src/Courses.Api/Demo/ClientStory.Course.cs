using Courses.Domain.Courses;
using Courses.Domain.Sessions;
using static Courses.Api.Demo.BusinessTime;

namespace Courses.Api.Demo;

internal sealed partial class ClientStory
{
    private static readonly string[] CancelledCourseReasons =
    [
        "Client moved away.", "Client decided to stop: happy with the result so far.", "Client cannot afford the remaining sessions.",
    ];

    private static readonly string[] SessionNotes =
    [
        "Pinpoint bleeding as expected; client comfortable.", "Client tolerated well.", "Mild erythema at the end of the session.",
        "Client asked about aftercare; leaflet given.",
    ];

    /// <summary>What a client allergic to their serum is switched to.</summary>
    private const string AlternativeSerum = "Calm Peptide Sensitive";

    /// <summary>
    /// The course's sessions, a month or so apart: the story ends planned, mid-course, paused after a reaction,
    /// cancelled, or completed with maintenance due later, soon or overdue — or goes on into maintenance.
    /// Returns today's day.
    /// </summary>
    private int Course(Guid courseId, PlannedCourse course, int registeredDay)
    {
        var planned = course.PlannedSessions;
        // How many course sessions happen before today, for the stories that stop part-way.
        var done = _aim switch
        {
            DemoStage.Planned => 0,
            DemoStage.MidCourse or DemoStage.Paused or DemoStage.CourseCancelled => _draw.Between(1, Math.Max(1, planned - 1)),
            _ => planned,
        };
        // A reaction that pauses the course, is resolved and the course resumed: part of some longer stories.
        var resumedAfter = done >= 3 && _aim is not DemoStage.Paused && _draw.Chance(0.25) ? _draw.Between(1, done - 2) : 0;
        var mildAfter = done >= 1 && _draw.Chance(0.3) ? _draw.Between(1, done) : 0;

        var serum = course.Serum;
        var depths = course.Areas.ToDictionary(a => a.Area, a => a.StartingDepthMm);
        var sessionDays = new List<int>();
        var day = _draw.Between(7, 21);
        var nextEarliest = 0;
        var skin = DrawSkin(course);
        if (_protocol.RequireBaselineAssessment || _draw.Chance(0.9)) Baseline(courseId, skin, day);
        var inflamed = false;
        for (var number = 1; number <= planned; number++)
        {
            if (number > 1) day = Math.Max(sessionDays[^1] + _draw.Between(28, 35), nextEarliest);
            sessionDays.Add(day);
            var sessionId = _draw.NewId();
            if (number > 1 && _draw.Chance(0.4)) Progress(courseId, skin, day, (number - 1.0) / planned);
            // A check that found the skin still red keeps the next session at its depth (the still-inflamed rule).
            var areas = Deepen(depths, number == 1, calm: number - 1 == resumedAfter && resumedAfter > 0 || inflamed);
            var sessionSerum = serum;
            var practitioner = _draw.Chance(0.85) ? _practitioner : _draw.Pick(DemoClinic.Practitioners);
            var numbing = areas.Any(a => a.DepthMm > _protocol.NumbingThresholdMm) || _draw.Chance(0.2);
            var notes = _draw.Chance(0.3) ? _draw.Pick(SessionNotes) : null;
            var mask = _draw.Chance(0.95);
            Add(Day(day, _draw.OpeningHours()), practitioner, (record, at, now) =>
            {
                var (cream, cartridge, pen) = Used(numbing, practitioner, at);
                return RecordSessionDecision.Decide(record!, new RecordSession(courseId, sessionId, at, practitioner, areas,
                    new Serum(sessionSerum, Lot(sessionSerum, at)), numbing, mask, SpfApplied: true, notes, practitioner, cream, cartridge, pen),
                    _protocol, now);
            }, recordedAfter: Minutes(50));

            inflamed = _draw.Chance(0.6) && HealingCheck(sessionId, areas[0].Area, day);

            if (number == mildAfter)
                MildReaction(sessionId, day, sessionSerum);

            if (number == resumedAfter)
            {
                var (resolvedDay, allergic) = PausingReaction(sessionId, day, sessionSerum, resolves: true);
                var resumedDay = resolvedDay!.Value + _draw.Between(1, 5);
                Add(Day(resumedDay, _draw.OpeningHours()), _practitioner, (record, _, now) => ResumeCourseDecision.Decide(record!,
                    new ResumeCourse(courseId, "Reaction resolved; client wishes to continue.", _practitioner), _protocol, now));
                nextEarliest = resumedDay + _draw.Between(3, 10);
                if (allergic) serum = AlternativeSerum;
            }

            if (number == done && _aim == DemoStage.Paused)
            {
                var (resolvedDay, _) = PausingReaction(sessionId, day, sessionSerum, resolves: _draw.Chance(0.4));
                var since = resolvedDay ?? day + 3;
                return Within(since + 1, since + 45, registeredDay);
            }

            if (number == done && _aim == DemoStage.CourseCancelled)
            {
                var cancelDay = day + _draw.Between(10, 25);
                Add(Day(cancelDay, _draw.OpeningHours()), _practitioner, (record, _, now) => CancelCourseDecision.Decide(record!,
                    new CancelCourse(courseId, _draw.Pick(CancelledCourseReasons), _practitioner), _protocol, now));
                return Within(cancelDay + 1, cancelDay + 250, registeredDay);
            }
        }

        var last = sessionDays[^1];
        if (_draw.Chance(0.85)) Outcome(courseId, skin, last + _draw.Between(21, 35));
        // Due = the last session + the interval in calendar months; days here are approximate, so the windows keep a margin.
        var dueDays = _protocol.MaintenanceIntervalMonths * 30 + _protocol.MaintenanceIntervalMonths / 2;
        switch (_aim)
        {
            case DemoStage.Planned:
                return Within(1, sessionDays[0] - 1, registeredDay);
            case DemoStage.MidCourse when done < planned:
                return Within(sessionDays[done - 1] + 1, sessionDays[done] - 1, registeredDay);
            case DemoStage.MaintenanceLater:
                return Within(last + 1, last + dueDays - DemoClinic.DueSoonDays - 5, registeredDay);
            case DemoStage.MaintenanceDueSoon:
                return Within(last + dueDays - DemoClinic.DueSoonDays + 3, last + dueDays - 4, registeredDay);
            case DemoStage.MaintenanceOverdue:
                return Within(last + dueDays + 5, last + dueDays + 200, registeredDay);
        }

        // Maintained, and a mid-course story whose course has a single session.
        return Maintenance(courseId, serum, depths, last, dueDays, registeredDay);
    }
}
