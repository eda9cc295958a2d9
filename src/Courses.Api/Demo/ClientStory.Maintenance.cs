using Courses.Domain.Sessions;
using static Courses.Api.Demo.BusinessTime;

namespace Courses.Api.Demo;

internal sealed partial class ClientStory
{
    /// <summary>
    /// One maintenance session per interval after the course's last session (day <paramref name="last"/>), around its
    /// due date, as many as fit in ~18 months and at most two. Returns today's day, before the next one falls due.
    /// </summary>
    private int Maintenance(Guid courseId, string serum, Dictionary<Area, decimal> depths, int last, int dueDays, int registeredDay)
    {
        var maintenanceDay = last;
        var maintenanceDays = new List<int>();
        while (true)
        {
            var next = maintenanceDay + dueDays + _draw.Between(-7, 21);
            if (next + 1 - registeredDay > LongestStoryDays || maintenanceDays.Count == 2) break;
            maintenanceDays.Add(maintenanceDay = next);
        }
        if (maintenanceDays.Count == 0) maintenanceDays.Add(maintenanceDay = last + dueDays + _draw.Between(-7, 0));
        foreach (var maintenance in maintenanceDays)
        {
            var sessionId = _draw.NewId();
            var areas = Maintain(depths);
            var numbing = areas.Any(a => a.DepthMm > _protocol.NumbingThresholdMm) || _draw.Chance(0.2);
            Add(Day(maintenance, _draw.OpeningHours()), _practitioner, (record, at, now) =>
            {
                var (cream, cartridge, pen) = Used(numbing, _practitioner, at);
                return RecordMaintenanceSessionDecision.Decide(record!, new RecordMaintenanceSession(courseId, sessionId, at, _practitioner,
                    areas, new Serum(serum, Lot(serum, at)), numbing, CalmingMaskApplied: true, SpfApplied: true, null, _practitioner,
                    cream, cartridge, pen), _protocol, now);
            }, recordedAfter: Minutes(50));
        }
        return Within(maintenanceDay + 1, maintenanceDay + dueDays - 10, registeredDay);
    }
}
