using Courses.Domain.Protocol;

namespace Courses.Api.Demo;

/// <summary>
/// One client's story. Its shape (which day each visit falls on, counted from the consultation) is drawn first;
/// then "today" is placed where the story's aim wants it, and every step up to today is decided in order.
/// </summary>
/// <remarks>
/// The chapters live in their own files: registration, the consultation (booked, cancelled, declined or planned),
/// the course (mid-course, paused after a reaction, cancelled, completed), maintenance, reactions, and the
/// practitioner's treatment choices.
/// </remarks>
internal sealed partial class ClientStory
{
    /// <summary>No story starts more than ~18 months before today.</summary>
    private const int LongestStoryDays = 545;

    private readonly SeededDraws _draw;
    private readonly ClinicProtocol _protocol;
    private readonly DateTimeOffset _end;
    /// <summary>The stage this story is written to reach today.</summary>
    private readonly DemoStage _aim;
    private readonly List<Step> _steps = [];
    private readonly Guid _clientId;
    private readonly string _fullName;
    private readonly string _reception;
    private readonly string _practitioner;

    /// <summary>The consultation day's midnight: every step's time is an offset from it.</summary>
    private DateTimeOffset _origin;

    public ClientStory(SeededDraws draw, ClinicProtocol protocol, DateTimeOffset today, DemoStage aim)
    {
        _draw = draw;
        _protocol = protocol;
        _end = today;
        _aim = aim;
        _clientId = draw.NewId();
        _fullName = $"{draw.Pick(FirstNames)} {draw.Pick(LastNames)}";
        _reception = draw.Pick(DemoClinic.Receptionists);
        _practitioner = draw.Pick(DemoClinic.Practitioners);
    }

    public DemoClient Tell(IDictionary<string, int> refused)
    {
        var todayOffset = Draw();
        var today = DateOnly.FromDateTime(_end.UtcDateTime);
        _origin = new DateTimeOffset(today.AddDays(-todayOffset).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        TreatmentRecord? record = null;
        var events = new List<DemoEvent>();
        foreach (var step in _steps.OrderBy(s => s.At))
        {
            var at = _origin + step.At;
            if (at > _end) break; // not happened yet
            var now = BusinessTime.Earlier(at + step.RecordedAfter, _end);
            var decision = step.Decide(record, at, now);
            if (!decision.IsAccepted)
            {
                refused[decision.Violation!.Code] = refused.TryGetValue(decision.Violation.Code, out var n) ? n + 1 : 1;
                continue;
            }
            foreach (var e in decision.Events)
            {
                record = TreatmentRecord.Evolve(record, e);
                events.Add(new DemoEvent(e, step.By));
            }
        }
        return new DemoClient(_clientId, _fullName, events, record!, DemoClinic.StageOf(record!, today));
    }

    /// <summary>Draws the story's steps and returns the day, counted from the consultation, that is today.</summary>
    private int Draw()
    {
        var (registeredDay, registeredAt) = Register();
        return Consultation(registeredDay, registeredAt);
    }

    /// <summary>Today's day in the story, drawn within [from, to] and no more than ~18 months after registration.</summary>
    private int Within(int from, int to, int registeredDay)
    {
        to = Math.Min(to, registeredDay + LongestStoryDays);
        return to < from ? from : _draw.Between(from, to);
    }

    /// <summary>
    /// A step is decided when the story is told, in business-time order, not when it is drawn; a step that draws
    /// inside <paramref name="decide"/> draws then, and only if its time has come.
    /// </summary>
    private void Add(TimeSpan at, string by, Func<TreatmentRecord?, DateTimeOffset, DateTimeOffset, Decision> decide,
        TimeSpan? recordedAfter = null) =>
        _steps.Add(new Step(at, recordedAfter ?? BusinessTime.Minutes(5), by, decide));

    private sealed record Step(
        TimeSpan At,
        TimeSpan RecordedAfter,
        string By,
        Func<TreatmentRecord?, DateTimeOffset, DateTimeOffset, Decision> Decide);
}
