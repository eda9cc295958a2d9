using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Courses.Domain;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;
using Courses.Projections.Clients;
using Courses.Projections.Protocol;
using Marten;

namespace Courses.Api.Demo;

/// <summary>Where a demo client's treatment stands today: the stages a newcomer should find in the lists.</summary>
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
}

/// <summary>One demo client: the events their story produced, each with the user who recorded it.</summary>
public sealed record DemoClient(Guid ClientId, string FullName, IReadOnlyList<DemoEvent> Events, TreatmentRecord Record, DemoStage Stage);

public sealed record DemoEvent(object Data, string By);

/// <summary>What a seeding did, or why it did nothing (<see cref="ExistingClients"/> above 0).</summary>
public sealed record DemoSeedResult(
    string Clinic,
    int ExistingClients,
    IReadOnlyList<DemoClient> Clients,
    IReadOnlyDictionary<string, int> RefusedByCode,
    TimeSpan Elapsed)
{
    public bool Refused => ExistingClients > 0;
    public int EventCount => Clients.Sum(c => c.Events.Count);
}

/// <summary>
/// Fills a clinic with clients at every stage of treatment. Every event comes from the domain's own decisions, taken
/// in business-time order on a simulated clock over the last ~18 months, so the demo data obeys every rule a real
/// clinic's data does; a step the domain refuses is skipped and counted.
/// </summary>
public static class DemoClinic
{
    public const string DefaultClinic = "demo-clinic";
    public const int DefaultClients = 300;
    public const int DefaultSeed = 42;
    public const int ClientsPerSave = 50;

    /// <summary>Maintenance due within this many days counts as due soon.</summary>
    public const int DueSoonDays = 28;

    public static readonly string[] Receptionists = ["demo-reception-dana", "demo-reception-eli"];
    public static readonly string[] Practitioners = ["demo-practitioner-amira", "demo-practitioner-ben", "demo-practitioner-chloe"];

    public static async Task<DemoSeedResult> SeedAsync(IDocumentStore store, string clinic, int clients, int seed,
        DateTimeOffset today, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        ClinicProtocol protocol;
        await using (var query = store.QuerySession(clinic))
        {
            var existing = await query.Query<ClientProfile>().CountAsync(cancellation);
            if (existing > 0) return new DemoSeedResult(clinic, existing, [], new Dictionary<string, int>(), watch.Elapsed);
            protocol = (await query.LoadAsync<ClinicProtocolDocument>(ProtocolStream.IdFor(clinic), cancellation))?.Protocol
                ?? ClinicProtocol.Default;
        }

        var refused = new Dictionary<string, int>();
        var stories = Write(clinic, clients, seed, today, protocol, refused);

        foreach (var batch in stories.Chunk(ClientsPerSave))
        {
            await using var session = store.LightweightSession(clinic);
            session.CorrelationId = $"demo-data/{seed}";
            // Marten records the session's user on an event that names none; below, every event names who recorded it.
            session.LastModifiedBy = Receptionists[0];
            foreach (var client in batch)
            {
                var stream = session.Events.StartStream<TreatmentRecord>(client.ClientId, client.Events.Select(e => e.Data));
                for (var i = 0; i < stream.Events.Count; i++) stream.Events[i].UserName = client.Events[i].By;
            }
            await session.SaveChangesAsync(cancellation);
        }

        return new DemoSeedResult(clinic, 0, stories, refused, watch.Elapsed);
    }

    /// <summary>The stories alone, without a store: deterministic for a clinic, seed, size and day.</summary>
    public static IReadOnlyList<DemoClient> Write(string clinic, int clients, int seed, DateTimeOffset today, ClinicProtocol protocol,
        IDictionary<string, int> refused)
    {
        var rng = new Random(seed);
        // Ids depend on the clinic too, so two demo clinics never share a client id.
        var ids = new Random(seed ^ StableHash(clinic));
        var kinds = new List<Story.Kind>();
        var result = new List<DemoClient>(clients);
        for (var i = 0; i < clients; i++)
        {
            if (kinds.Count == 0) kinds = Shuffled(rng, Story.Mix);
            var kind = kinds[^1];
            kinds.RemoveAt(kinds.Count - 1);
            result.Add(new Story(rng, ids, protocol, today, kind).Tell(refused));
        }
        return result;
    }

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
            _ => DemoStage.MaintenanceLater,
        };
    }

    private static List<T> Shuffled<T>(Random rng, IReadOnlyList<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    private static int StableHash(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    /// <summary>
    /// One client's story. Its shape (which day each visit falls on, counted from the consultation) is drawn first;
    /// then "today" is placed where the story's kind wants it, and every step up to today is decided in order.
    /// </summary>
    private sealed class Story
    {
        public enum Kind
        {
            ConsultationBooked,
            ConsultationCancelled,
            Declined,
            Planned,
            MidCourse,
            Paused,
            CourseCancelled,
            CompletedRecently,
            MaintenanceDueSoon,
            MaintenanceOverdue,
            Maintained,
        }

        /// <summary>Twenty clients' worth of kinds, dealt shuffled: every twenty clients cover every stage.</summary>
        public static readonly Kind[] Mix =
        [
            Kind.ConsultationBooked, Kind.ConsultationCancelled, Kind.Declined,
            Kind.Planned, Kind.Planned,
            Kind.MidCourse, Kind.MidCourse, Kind.MidCourse, Kind.MidCourse,
            Kind.Paused, Kind.Paused,
            Kind.CourseCancelled,
            Kind.CompletedRecently, Kind.CompletedRecently,
            Kind.MaintenanceDueSoon, Kind.MaintenanceDueSoon,
            Kind.MaintenanceOverdue, Kind.MaintenanceOverdue,
            Kind.Maintained, Kind.Maintained,
        ];

        /// <summary>No story starts more than ~18 months before today.</summary>
        private const int LongestStoryDays = 545;

        private static readonly string[] FirstNames =
        [
            "Ann", "Amara", "Beatriz", "Chloe", "Daniela", "Eva", "Fatima", "Grace", "Hana", "Ines", "Julia", "Keiko",
            "Laura", "Maya", "Nadia", "Olivia", "Priya", "Rosa", "Sofia", "Tamar", "Uma", "Valentina", "Wen", "Yara",
            "Zoe", "Adam", "Ben", "Carlos", "David", "Emil", "Farid", "George", "Hugo", "Ivan", "James", "Kofi", "Leo",
            "Marco", "Noah", "Omar", "Pavel", "Rafael", "Sam", "Tom",
        ];

        private static readonly string[] LastNames =
        [
            "Adeyemi", "Andersen", "Bianchi", "Brown", "Chen", "Costa", "Dubois", "Evans", "Fischer", "García", "Haddad",
            "Hughes", "Ivanova", "Jensen", "Kaur", "Kowalski", "Lee", "Lopez", "Martin", "Müller", "Nakamura", "Novak",
            "O'Brien", "Okafor", "Patel", "Popescu", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Smith", "Tanaka",
            "Taylor", "Walsh", "Wilson", "Yilmaz", "Zhang",
        ];

        private static readonly string[] DeclineReasons =
        [
            "Client wants to think it over.", "Cost: client will come back after the summer.",
            "Client prefers to try a chemical peel first.", "Client is worried about downtime before a wedding.",
        ];

        private static readonly string[] CancelledConsultationReasons =
        [
            "Client unwell; will call back to rebook.", "Client cancelled by phone: work commitments.", "No-show.",
        ];

        private static readonly string[] CancelledCourseReasons =
        [
            "Client moved away.", "Client decided to stop: happy with the result so far.", "Client cannot afford the remaining sessions.",
        ];

        private static readonly string[] SessionNotes =
        [
            "Pinpoint bleeding as expected; client comfortable.", "Client tolerated well.", "Mild erythema at the end of the session.",
            "Client asked about aftercare; leaflet given.",
        ];

        private const string AlternativeSerum = "Calm Peptide Sensitive";

        private readonly Random _rng;
        private readonly Random _ids;
        private readonly ClinicProtocol _protocol;
        private readonly DateTimeOffset _end;
        private readonly Kind _kind;
        private readonly List<Step> _steps = [];
        private readonly Guid _clientId;
        private readonly string _fullName;
        private readonly string _reception;
        private readonly string _practitioner;

        /// <summary>The consultation day's midnight: every step's time is an offset from it.</summary>
        private DateTimeOffset _origin;

        public Story(Random rng, Random ids, ClinicProtocol protocol, DateTimeOffset today, Kind kind)
        {
            _rng = rng;
            _ids = ids;
            _protocol = protocol;
            _end = today;
            _kind = kind;
            _clientId = NewId();
            _fullName = $"{Pick(FirstNames)} {Pick(LastNames)}";
            _reception = Pick(Receptionists);
            _practitioner = Pick(Practitioners);
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
                var now = Min(at + step.RecordedAfter, _end);
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
            return new DemoClient(_clientId, _fullName, events, record!, StageOf(record!, today));
        }

        /// <summary>Draws the story's steps and returns the day, counted from the consultation, that is today.</summary>
        private int Draw()
        {
            var registeredDay = -Between(4, 24);
            var registeredAt = Day(registeredDay, OpeningHours());
            Add(registeredAt, _reception, (_, _, now) => RegisterClientDecision.Decide(new RegisterClient(
                _clientId, _fullName, DateOfBirth(), Email(), Phone(), _reception), now));

            var concerns = Concerns();
            var consultationAt = Day(0, OpeningHours());
            var consultationId = NewId();
            var rescheduled = _kind != Kind.ConsultationBooked && registeredDay <= -12 && Chance(0.15);
            var firstBookedFor = rescheduled ? Day(-Between(3, 7), OpeningHours()) : consultationAt;
            Add(registeredAt + Minutes(3), _reception, (record, _, now) => BookConsultationDecision.Decide(record!,
                new BookConsultation(consultationId, _origin + firstBookedFor, _practitioner, concerns, _reception), _protocol, now));
            if (rescheduled)
                Add(Day(registeredDay + 1, OpeningHours()), _reception, (record, _, now) => RescheduleConsultationDecision.Decide(record!,
                    new RescheduleConsultation(consultationId, _origin + consultationAt, "Client asked for a later date.", _reception),
                    _protocol, now));

            // Today falls between the booking and the consultation it booked.
            if (_kind == Kind.ConsultationBooked) return Math.Min(registeredDay + Between(1, 5), -1);

            if (_kind == Kind.ConsultationCancelled)
            {
                var cancelDay = -Between(1, 2);
                Add(Day(cancelDay, OpeningHours()), _reception, (record, _, now) => CancelConsultationDecision.Decide(record!,
                    new CancelConsultation(consultationId, Pick(CancelledConsultationReasons), _reception), _protocol, now));
                return Within(cancelDay + 1, cancelDay + 300, registeredDay);
            }

            var declined = _kind == Kind.Declined;
            var contraindicated = declined && Chance(0.4);
            Screening(consultationAt, contraindicated);
            if (!declined)
                Add(consultationAt + Minutes(10), _practitioner, (record, at, now) => RecordConsentDecision.Decide(record!,
                    new RecordConsent(at, Consent.Microneedling, "MN-consent-v3", _practitioner), _protocol, now));

            var completedAt = consultationAt + Minutes(40);
            if (declined)
            {
                var reason = contraindicated
                    ? "Contraindicated on screening: microneedling is not advised."
                    : Pick(DeclineReasons);
                Add(completedAt, _practitioner, (record, at, now) => CompleteConsultationDecision.Decide(record!,
                    new CompleteConsultation(consultationId, Guid.Empty, at, _practitioner, ConsultationOutcome.Decline, concerns,
                        null, reason, _practitioner), _protocol, now));
                return Within(1, LongestStoryDays, registeredDay);
            }

            var course = PlanCourse(concerns);
            var courseId = NewId();
            Add(completedAt, _practitioner, (record, at, now) => CompleteConsultationDecision.Decide(record!,
                new CompleteConsultation(consultationId, courseId, at, _practitioner, ConsultationOutcome.Plan, concerns,
                    new CoursePlan(course.Areas, new Serum(course.Serum, null), course.ExplicitSessions), null, _practitioner),
                _protocol, now));

            return DrawCourse(courseId, course, registeredDay);
        }

        private int DrawCourse(Guid courseId, PlannedCourse course, int registeredDay)
        {
            var planned = course.PlannedSessions;
            // How many course sessions happen before today, for the kinds that stop part-way.
            var done = _kind switch
            {
                Kind.Planned => 0,
                Kind.MidCourse or Kind.Paused or Kind.CourseCancelled => Between(1, Math.Max(1, planned - 1)),
                _ => planned,
            };
            // A reaction that pauses the course, is resolved and the course resumed: part of some longer stories.
            var resumedAfter = done >= 3 && _kind is not Kind.Paused && Chance(0.25) ? Between(1, done - 2) : 0;
            var mildAfter = done >= 1 && Chance(0.3) ? Between(1, done) : 0;

            var serum = course.Serum;
            var depths = course.Areas.ToDictionary(a => a.Area, a => a.StartingDepthMm);
            var sessionDays = new List<int>();
            var day = Between(7, 21);
            var nextEarliest = 0;
            for (var number = 1; number <= planned; number++)
            {
                if (number > 1) day = Math.Max(sessionDays[^1] + Between(28, 35), nextEarliest);
                sessionDays.Add(day);
                var sessionId = NewId();
                var areas = Deepen(depths, number == 1, calm: number - 1 == resumedAfter && resumedAfter > 0);
                var sessionSerum = serum;
                var practitioner = Chance(0.85) ? _practitioner : Pick(Practitioners);
                var numbing = areas.Any(a => a.DepthMm > _protocol.NumbingThresholdMm) || Chance(0.2);
                var notes = Chance(0.3) ? Pick(SessionNotes) : null;
                var mask = Chance(0.95);
                Add(Day(day, OpeningHours()), practitioner, (record, at, now) => RecordSessionDecision.Decide(record!,
                    new RecordSession(courseId, sessionId, at, practitioner, areas, new Serum(sessionSerum, Lot(sessionSerum, at)),
                        numbing, mask, SpfApplied: true, notes, practitioner), _protocol, now), recordedAfter: Minutes(50));

                if (number == mildAfter)
                    MildReaction(sessionId, day, sessionSerum);

                if (number == resumedAfter)
                {
                    var (resolvedDay, allergic) = PausingReaction(sessionId, day, sessionSerum, resolves: true);
                    var resumedDay = resolvedDay!.Value + Between(1, 5);
                    Add(Day(resumedDay, OpeningHours()), _practitioner, (record, _, now) => ResumeCourseDecision.Decide(record!,
                        new ResumeCourse(courseId, "Reaction resolved; client wishes to continue.", _practitioner), _protocol, now));
                    nextEarliest = resumedDay + Between(3, 10);
                    if (allergic) serum = AlternativeSerum;
                }

                if (number == done && _kind == Kind.Paused)
                {
                    var (resolvedDay, _) = PausingReaction(sessionId, day, sessionSerum, resolves: Chance(0.4));
                    var since = resolvedDay ?? day + 3;
                    return Within(since + 1, since + 45, registeredDay);
                }

                if (number == done && _kind == Kind.CourseCancelled)
                {
                    var cancelDay = day + Between(10, 25);
                    Add(Day(cancelDay, OpeningHours()), _practitioner, (record, _, now) => CancelCourseDecision.Decide(record!,
                        new CancelCourse(courseId, Pick(CancelledCourseReasons), _practitioner), _protocol, now));
                    return Within(cancelDay + 1, cancelDay + 250, registeredDay);
                }
            }

            var last = sessionDays[^1];
            // Due = the last session + the interval in calendar months; days here are approximate, so the windows keep a margin.
            var dueDays = _protocol.MaintenanceIntervalMonths * 30 + _protocol.MaintenanceIntervalMonths / 2;
            switch (_kind)
            {
                case Kind.Planned:
                    return Within(1, sessionDays[0] - 1, registeredDay);
                case Kind.MidCourse when done < planned:
                    return Within(sessionDays[done - 1] + 1, sessionDays[done] - 1, registeredDay);
                case Kind.CompletedRecently:
                    return Within(last + 1, last + dueDays - DueSoonDays - 5, registeredDay);
                case Kind.MaintenanceDueSoon:
                    return Within(last + dueDays - DueSoonDays + 3, last + dueDays - 4, registeredDay);
                case Kind.MaintenanceOverdue:
                    return Within(last + dueDays + 5, last + dueDays + 200, registeredDay);
            }

            // Maintained: one maintenance session per interval, around its due date, as many as fit in ~18 months.
            var maintenanceDay = last;
            var maintenanceDays = new List<int>();
            while (true)
            {
                var next = maintenanceDay + dueDays + Between(-7, 21);
                if (next + 1 - registeredDay > LongestStoryDays || maintenanceDays.Count == 2) break;
                maintenanceDays.Add(maintenanceDay = next);
            }
            if (maintenanceDays.Count == 0) maintenanceDays.Add(maintenanceDay = last + dueDays + Between(-7, 0));
            foreach (var maintenance in maintenanceDays)
            {
                var sessionId = NewId();
                var areas = Maintain(depths);
                var sessionSerum = serum;
                var numbing = areas.Any(a => a.DepthMm > _protocol.NumbingThresholdMm) || Chance(0.2);
                Add(Day(maintenance, OpeningHours()), _practitioner, (record, at, now) => RecordMaintenanceSessionDecision.Decide(record!,
                    new RecordMaintenanceSession(courseId, sessionId, at, _practitioner, areas,
                        new Serum(sessionSerum, Lot(sessionSerum, at)), numbing, CalmingMaskApplied: true, SpfApplied: true, null,
                        _practitioner), _protocol, now), recordedAfter: Minutes(50));
            }
            return Within(maintenanceDay + 1, maintenanceDay + dueDays - 10, registeredDay);
        }

        private void Screening(TimeSpan at, bool contraindicated)
        {
            var conditions = new List<Condition>();
            if (contraindicated) conditions.Add(Pick(Condition.KeloidHistory, Condition.Pregnancy, Condition.IsotretinoinCurrent, Condition.ActiveSkinInfection));
            else if (Chance(0.2)) conditions.Add(Pick(Condition.ColdSoreHistory, Condition.EczemaOrPsoriasis, Condition.Anticoagulants, Condition.IsotretinoinWithin6Months));
            var allergies = Chance(0.12) ? new[] { Pick("Penicillin", "Latex", "Nickel", "Lidocaine") } : [];
            var notes = conditions.Count > 0 ? "Discussed with the client at the consultation." : null;
            Add(at, _practitioner, (record, screenedAt, now) => RecordScreeningDecision.Decide(record!,
                new RecordScreening(screenedAt, conditions, allergies, notes, _practitioner), _protocol, now));
        }

        private void MildReaction(Guid sessionId, int sessionDay, string serum)
        {
            var reactionId = NewId();
            var kind = Pick(ReactionKind.Redness, ReactionKind.Redness, ReactionKind.Peeling, ReactionKind.Bruising, ReactionKind.Pain);
            var severity = Chance(0.75) ? Severity.Mild : Severity.Moderate;
            var occurred = Day(sessionDay + 1, Hours(Between(8, 19)));
            Add(occurred, _practitioner, (record, at, now) => ReportReactionDecision.Decide(record!,
                new ReportReaction(reactionId, at, kind, severity, sessionId, null, "Client phoned the clinic.", _practitioner),
                _protocol, now), recordedAfter: Hours(Between(1, 3)));
            Add(Day(sessionDay + Between(3, 8), OpeningHours()), _practitioner, (record, at, now) => ResolveReactionDecision.Decide(record!,
                new ResolveReaction(reactionId, at, "Settled with aftercare.", _practitioner), _protocol, now));
        }

        /// <summary>An infection, an allergic reaction to the serum, or a severe reaction: the domain pauses the course.</summary>
        private (int? ResolvedDay, bool Allergic) PausingReaction(Guid sessionId, int sessionDay, string serum, bool resolves)
        {
            var reactionId = NewId();
            var kind = Pick(ReactionKind.Infection, ReactionKind.AllergicReaction, ReactionKind.AllergicReaction, ReactionKind.Bruising);
            var severity = kind == ReactionKind.Bruising ? Severity.Severe : Chance(0.7) ? Severity.Moderate : Severity.Severe;
            var allergic = kind == ReactionKind.AllergicReaction;
            var occurredDay = sessionDay + Between(1, 3);
            Add(Day(occurredDay, Hours(Between(8, 19))), _practitioner, (record, at, now) => ReportReactionDecision.Decide(record!,
                new ReportReaction(reactionId, at, kind, severity, sessionId, allergic ? serum : null,
                    allergic ? "Itching and swelling where the serum was applied." : "Client sent photos; seen the next morning.",
                    _practitioner), _protocol, now), recordedAfter: Hours(Between(1, 4)));
            if (!resolves) return (null, allergic);

            var resolvedDay = occurredDay + Between(7, 21);
            Add(Day(resolvedDay, OpeningHours()), _practitioner, (record, at, now) => ResolveReactionDecision.Decide(record!,
                new ResolveReaction(reactionId, at, kind == ReactionKind.Infection ? "Cleared after a course of antibiotics." : "Resolved.",
                    _practitioner), _protocol, now));
            return (resolvedDay, allergic);
        }

        private sealed record PlannedCourse(IReadOnlyList<PlannedArea> Areas, string Serum, int PlannedSessions, int? ExplicitSessions);

        private PlannedCourse PlanCourse(IReadOnlyList<Concern> concerns)
        {
            var areas = new List<PlannedArea>();
            foreach (var area in concerns.SelectMany(AreasFor).Distinct())
                areas.Add(new PlannedArea(area, Snap(area, StartingDepth(area))));
            var defaultSessions = _protocol.DefaultSessionsFor(concerns);
            // Now and then the practitioner agrees a course one session longer than the protocol's default.
            int? explicitSessions = Chance(0.1) && defaultSessions < _protocol.MaxPlannedSessions ? defaultSessions + 1 : null;
            return new PlannedCourse(areas, SerumFor(concerns), explicitSessions ?? defaultSessions, explicitSessions);
        }

        private IEnumerable<Area> AreasFor(Concern concern) => concern switch
        {
            Concern.FineLines => Chance(0.5) ? [Area.Face, Area.Forehead] : Chance(0.5) ? [Area.Face, Area.UnderEye] : [Area.Face],
            Concern.LargePores => Chance(0.5) ? [Area.Face, Area.Nose] : [Area.Face],
            Concern.StretchMarks => Chance(0.6) ? [Area.Stomach] : Chance(0.5) ? [Area.Thighs] : [Area.Stomach, Area.Thighs],
            Concern.LossOfElasticity => Chance(0.5) ? [Area.Face, Area.Neck] : [Area.Neck],
            Concern.HairLoss => [Area.Scalp],
            _ => [Area.Face],
        };

        private decimal StartingDepth(Area area) => area switch
        {
            Area.UnderEye => 0.5m,
            Area.Forehead or Area.Nose or Area.Neck => Pick(0.5m, 0.75m),
            Area.Stomach or Area.Thighs => Pick(1.0m, 1.25m, 1.5m),
            _ => Pick(0.5m, 0.75m, 1.0m),
        };

        private IReadOnlyList<Concern> Concerns()
        {
            var first = Pick(Concern.FineLines, Concern.FineLines, Concern.AcneScars, Concern.AcneScars, Concern.DarkSpots,
                Concern.LargePores, Concern.LossOfElasticity, Concern.StretchMarks, Concern.HairLoss);
            if (first is Concern.StretchMarks or Concern.HairLoss || Chance(0.6)) return [first];
            var second = Pick(Concern.FineLines, Concern.DarkSpots, Concern.LargePores, Concern.LossOfElasticity);
            return second == first ? [first] : [first, second];
        }

        private static string SerumFor(IReadOnlyList<Concern> concerns) => concerns[0] switch
        {
            Concern.DarkSpots => "Bright C Serum",
            Concern.AcneScars or Concern.StretchMarks or Concern.LargePores => "Peptide Repair Serum",
            Concern.HairLoss => "Growth Factor Scalp Serum",
            _ => "HydraBoost HA Serum",
        };

        /// <summary>Lots change monthly; a recall searches by them.</summary>
        private static string Lot(string serum, DateTimeOffset at) =>
            $"{string.Concat(serum.Split(' ').Select(w => w[0]))}-{at:yyMM}";

        /// <summary>
        /// The next session's depths: the first often shallower than planned, later ones deeper within the step and the
        /// area's maximum; the session after a pausing reaction stays where it was.
        /// </summary>
        private IReadOnlyList<AreaDepth> Deepen(Dictionary<Area, decimal> depths, bool first, bool calm)
        {
            foreach (var area in depths.Keys.ToList())
            {
                var current = depths[area];
                var next = first
                    ? Chance(0.4) ? current - 0.25m : current
                    : calm ? current : current + Math.Min(Pick(0m, 0.25m, 0.25m, 0.5m), _protocol.MaxIncreasePerSessionMm);
                depths[area] = Snap(area, next);
            }
            return [.. depths.Select(d => new AreaDepth(d.Key, d.Value))];
        }

        private IReadOnlyList<AreaDepth> Maintain(Dictionary<Area, decimal> depths)
        {
            foreach (var area in depths.Keys.ToList())
                depths[area] = Snap(area, depths[area] - Pick(0m, 0m, 0.25m));
            return [.. depths.Select(d => new AreaDepth(d.Key, d.Value))];
        }

        /// <summary>A depth the protocol accepts for the area: within its range, on its resolution.</summary>
        private decimal Snap(Area area, decimal depth)
        {
            var clamped = Math.Clamp(depth, _protocol.MinDepthMm, _protocol.MaxDepthFor(area));
            var steps = Math.Floor(clamped / _protocol.DepthResolutionMm);
            return Math.Max(_protocol.MinDepthMm, steps * _protocol.DepthResolutionMm);
        }

        /// <summary>Today's day in the story, drawn within [from, to] and no more than ~18 months after registration.</summary>
        private int Within(int from, int to, int registeredDay)
        {
            to = Math.Min(to, registeredDay + LongestStoryDays);
            return to < from ? from : Between(from, to);
        }

        private DateOnly DateOfBirth() => new DateOnly(1960, 1, 1).AddDays(Between(0, 365 * 44));

        private string? Email() => Chance(0.85)
            ? $"{_fullName.ToLowerInvariant().Replace(' ', '.').Replace("'", "")}{Between(1, 99)}@example.com"
            : null;

        private string? Phone() => Chance(0.9) ? $"+44 7700 900{Between(0, 999):000}" : null;

        private void Add(TimeSpan at, string by, Func<TreatmentRecord?, DateTimeOffset, DateTimeOffset, Decision> decide,
            TimeSpan? recordedAfter = null) =>
            _steps.Add(new Step(at, recordedAfter ?? Minutes(5), by, decide));

        private Guid NewId()
        {
            var bytes = new byte[16];
            _ids.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4: random (here, seeded)
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        private TimeSpan OpeningHours() => Hours(9) + Minutes(15 * _rng.Next(0, 33));
        private static TimeSpan Day(int day, TimeSpan timeOfDay) => TimeSpan.FromDays(day) + timeOfDay;
        private static TimeSpan Hours(int hours) => TimeSpan.FromHours(hours);
        private static TimeSpan Minutes(int minutes) => TimeSpan.FromMinutes(minutes);
        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
        private int Between(int from, int toInclusive) => _rng.Next(from, toInclusive + 1);
        private bool Chance(double p) => _rng.NextDouble() < p;
        private T Pick<T>(params T[] items) => items[_rng.Next(items.Length)];

        private sealed record Step(
            TimeSpan At,
            TimeSpan RecordedAfter,
            string By,
            Func<TreatmentRecord?, DateTimeOffset, DateTimeOffset, Decision> Decide);
    }
}
