using Courses.Domain.Consultations;
using Courses.Domain.Courses;

namespace Courses.Api.Demo;

/// <summary>
/// Where a demo client's treatment stands today: the stages a newcomer should find in the lists. A story is written
/// towards one and told up to today, and <see cref="DemoClinic.StageOf"/> reads where it stands then: mostly the same
/// (a maintained client's next visit may have fallen due soon; a course of one session has no middle).
/// </summary>
public enum DemoStage
{
    ConsultationBooked,
    ConsultationCancelled,
    Declined,
    Planned,
    MidCourse,
    Paused,
    CourseCancelled,
    MaintenanceLater,
    MaintenanceDueSoon,
    MaintenanceOverdue,
    Maintained,
}

public static partial class DemoClinic
{
    /// <summary>Maintenance due within this many days counts as due soon.</summary>
    public const int DueSoonDays = 28;

    public static DemoStage StageOf(TreatmentRecord record, DateOnly today)
    {
        if (record.Courses.Values.OrderBy(c => c.PlannedAt).LastOrDefault() is not { } course)
        {
            var consultation = record.Consultations.Values.OrderBy(c => c.BookedAt).Last();
            return consultation.Status switch
            {
                ConsultationStatus.Booked => DemoStage.ConsultationBooked,
                ConsultationStatus.Cancelled => DemoStage.ConsultationCancelled,
                _ => DemoStage.Declined,
            };
        }
        return course.Status switch
        {
            CourseStatus.Planned => DemoStage.Planned,
            CourseStatus.Active => DemoStage.MidCourse,
            CourseStatus.Paused => DemoStage.Paused,
            CourseStatus.Cancelled => DemoStage.CourseCancelled,
            _ when course.MaintenanceDueOn < today => DemoStage.MaintenanceOverdue,
            _ when course.MaintenanceDueOn <= today.AddDays(DueSoonDays) => DemoStage.MaintenanceDueSoon,
            _ when course.MaintenanceSessions.Any() => DemoStage.Maintained,
            _ => DemoStage.MaintenanceLater,
        };
    }
}
