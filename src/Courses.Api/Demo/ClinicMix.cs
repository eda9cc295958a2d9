namespace Courses.Api.Demo;

/// <summary>The clinic's mix of clients: the stage each next client's story is written towards.</summary>
internal static class ClinicMix
{
    /// <summary>Twenty clients' worth of stages, dealt shuffled: every twenty clients cover every stage.</summary>
    public static readonly DemoStage[] Twenty =
    [
        DemoStage.ConsultationBooked, DemoStage.ConsultationCancelled, DemoStage.Declined,
        DemoStage.Planned, DemoStage.Planned,
        DemoStage.MidCourse, DemoStage.MidCourse, DemoStage.MidCourse, DemoStage.MidCourse,
        DemoStage.Paused, DemoStage.Paused,
        DemoStage.CourseCancelled,
        DemoStage.MaintenanceLater, DemoStage.MaintenanceLater,
        DemoStage.MaintenanceDueSoon, DemoStage.MaintenanceDueSoon,
        DemoStage.MaintenanceOverdue, DemoStage.MaintenanceOverdue,
        DemoStage.Maintained, DemoStage.Maintained,
    ];

    /// <summary>
    /// Endless, and lazy on purpose: each twenty is shuffled when its first client is dealt, from the same draws as the
    /// stories, so the clinic depends on that interleaving.
    /// </summary>
    public static IEnumerable<DemoStage> Deal(SeededDraws draw)
    {
        while (true)
        {
            var hand = draw.Shuffled(Twenty);
            for (var i = hand.Count - 1; i >= 0; i--) yield return hand[i];
        }
    }
}
