using System.Collections.Immutable;
using Courses.Domain.Assessments;

namespace Courses.Domain.Protocol;

/// <summary>One depth band of the healing window: a session whose deepest pass is at most UpToDepthMm heals in Days.</summary>
public sealed record HealingBand(decimal UpToDepthMm, int Days);

/// <summary>
/// Every number a clinical decision uses (DESIGN.md §2). Published evidence does not fix them, so each clinic holds
/// its own, adjusted only through <see cref="ProtocolAdjusted"/>.
/// </summary>
public sealed record ClinicProtocol
{
    public static readonly ClinicProtocol Default = new();

    /// <summary>0 while the clinic has never adjusted its protocol; otherwise the clinic stream's version.</summary>
    public long Version { get; init; }

    /// <summary>
    /// The clinic's IANA time zone: every calendar date the service derives (today, next session due, maintenance due,
    /// healed on, aftercare until, a schedule day) is the clinic's date there. A protocol stored before it existed reads as UTC.
    /// </summary>
    public string TimeZone { get; init; } = "UTC";

    public decimal MinDepthMm { get; init; } = 0.5m;
    public decimal MaxDepthMm { get; init; } = 2.0m;
    public decimal DepthResolutionMm { get; init; } = 0.05m;

    public ImmutableDictionary<Area, decimal> MaxDepthByArea { get; init; } = new Dictionary<Area, decimal>
    {
        [Area.Face] = 1.5m,
        [Area.Forehead] = 1.0m,
        [Area.UnderEye] = 0.5m,
        [Area.Nose] = 1.0m,
        [Area.Neck] = 1.0m,
        [Area.Scalp] = 1.5m,
        [Area.Stomach] = 2.0m,
        [Area.Thighs] = 2.0m,
        [Area.Other] = 1.5m,
    }.ToImmutableDictionary();

    public decimal MaxIncreasePerSessionMm { get; init; } = 0.5m;

    /// <summary>Any area deeper than this needs numbing cream.</summary>
    public decimal NumbingThresholdMm { get; init; } = 1.0m;

    public int DefaultSessionsPerCourse { get; init; } = 3;
    public int AcneScarsSessionsPerCourse { get; init; } = 6;
    public int StretchMarksSessionsPerCourse { get; init; } = 5;
    public int MinPlannedSessions { get; init; } = 1;
    public int MaxPlannedSessions { get; init; } = 10;

    public int MinDaysBetweenCourseSessions { get; init; } = 28;

    /// <summary>Calendar months from one course session to the next one's due date.</summary>
    public int CourseIntervalMonths { get; init; } = 1;

    public int MaintenanceIntervalMonths { get; init; } = 6;
    public int ScreeningValidityMonths { get; init; } = 12;

    /// <summary>Ascending by depth; a session deeper than the last band heals in <see cref="HealingDaysAboveBands"/>.</summary>
    public ImmutableList<HealingBand> HealingBands { get; init; } =
        [new(0.5m, 2), new(1.0m, 4), new(1.5m, 7)];

    public int HealingDaysAboveBands { get; init; } = 14;

    public int HygieneAftercareDays { get; init; } = 3;
    public int WaterAndIrritantsAftercareDays { get; init; } = 7;

    public ImmutableHashSet<Condition> AbsoluteContraindications { get; init; } =
        [Condition.KeloidHistory, Condition.ActiveSkinInfection, Condition.Pregnancy, Condition.IsotretinoinCurrent];

    public ImmutableHashSet<Condition> Precautions { get; init; } =
        [Condition.Anticoagulants, Condition.EczemaOrPsoriasis, Condition.ColdSoreHistory, Condition.IsotretinoinWithin6Months];

    /// <summary>How far past "now" a business time may lie before it is refused as future-time (clock skew on tablets).</summary>
    public TimeSpan FutureTimeTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The scales the clinic scores the skin on (DESIGN.md §7); a clinic may add its own, never change one.</summary>
    public ImmutableList<SkinScale> Scales { get; init; } = SkinScales.Defaults;

    /// <summary>The scale each concern's course outcome is judged on (its change from the course baseline).</summary>
    public ImmutableDictionary<Concern, string> OutcomeScales { get; init; } = SkinScales.DefaultOutcomeScales;

    /// <summary>No going deeper on an area while its latest healing check since its previous session shows erythema above this.</summary>
    public decimal EscalationMaxErythema { get; init; } = 2m;

    /// <summary>When true, a course's first session needs a baseline of each concern's outcome scale since the consultation.</summary>
    public bool RequireBaselineAssessment { get; init; }

    /// <summary>When true, a session names the lot of its serum, of its numbing cream when applied, and of its needle cartridge.</summary>
    public bool RequireProductLots { get; init; }

    public SkinScale? Scale(string name) => Scales.FirstOrDefault(s => s.Name == name);

    /// <summary>The scale a concern's outcome is judged on, when the protocol names one it holds.</summary>
    public SkinScale? OutcomeScaleFor(Concern concern) => OutcomeScales.TryGetValue(concern, out var name) ? Scale(name) : null;

    /// <summary>The clinic's zone; UTC should the machine's time-zone data no longer know a stored id.</summary>
    public TimeZoneInfo Zone() => ZoneOf(TimeZone);

    /// <summary>The zone a stored protocol's timeZone names (UTC when it names none, or one this machine does not know).</summary>
    public static TimeZoneInfo ZoneOf(string? timeZone) => ClinicWords.Zone(timeZone) ?? TimeZoneInfo.Utc;

    /// <summary>The clinic's calendar day at a business time, whatever offset the caller sent it with.</summary>
    public DateOnly DayOf(DateTimeOffset at) => ClinicWords.DayOf(at, Zone());

    public decimal MaxDepthFor(Area area) =>
        MaxDepthByArea.TryGetValue(area, out var max) ? Math.Min(max, MaxDepthMm) : MaxDepthMm;

    /// <summary>Days a session needs to heal, chosen by its deepest pass.</summary>
    public int HealingDays(decimal deepestDepthMm) =>
        HealingBands.FirstOrDefault(band => deepestDepthMm <= band.UpToDepthMm)?.Days ?? HealingDaysAboveBands;

    /// <summary>Sessions a course gets when the consultation does not say: the largest that any concern calls for.</summary>
    public int DefaultSessionsFor(IEnumerable<Concern> concerns)
    {
        var specific = concerns.Distinct().Select(concern => concern switch
        {
            Concern.AcneScars => AcneScarsSessionsPerCourse,
            Concern.StretchMarks => StretchMarksSessionsPerCourse,
            _ => (int?)null,
        }).OfType<int>().ToList();
        return specific.Count > 0 ? specific.Max() : DefaultSessionsPerCourse;
    }

    private const decimal MaxSaneDepthMm = 10m;
    private const int MaxSaneSessions = 100;
    private const int MaxSaneMonths = 120;
    private const int MaxSaneDays = 3650;

    /// <summary>Field errors, keyed by the camelCase setting name; empty when the protocol is usable.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        // A protocol read from a request may hold nulls where the type promises collections.
        var missing = new (string Field, object? Value)[]
        {
            ("maxDepthByArea", MaxDepthByArea), ("healingBands", HealingBands), ("absoluteContraindications", AbsoluteContraindications),
            ("precautions", Precautions), ("timeZone", TimeZone), ("scales", Scales), ("outcomeScales", OutcomeScales),
        }.Where(c => c.Value is null).Select(c => c.Field).ToArray();
        foreach (var field in missing) Add(field, "is required.");
        if (HealingBands is not null && HealingBands.Any(b => b is null)) Add("healingBands", "must not contain empty bands.");
        if (Scales is not null && Scales.Any(s => s is null)) Add("scales", "must not contain empty scales.");
        if (errors.Count > 0) return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());

        if (MinDepthMm <= 0) Add("minDepthMm", "must be above 0 mm.");
        if (MaxDepthMm > MaxSaneDepthMm) Add("maxDepthMm", $"must be at most {ClinicWords.Mm(MaxSaneDepthMm)}.");
        if (MinDepthMm >= MaxDepthMm) Add("maxDepthMm", $"must be above the minimum depth ({ClinicWords.Mm(MinDepthMm)}).");
        if (DepthResolutionMm <= 0) Add("depthResolutionMm", "must be above 0 mm.");
        else
        {
            if (MinDepthMm % DepthResolutionMm != 0) Add("minDepthMm", $"must be a multiple of the resolution ({ClinicWords.Mm(DepthResolutionMm)}).");
            if (MaxDepthMm % DepthResolutionMm != 0) Add("maxDepthMm", $"must be a multiple of the resolution ({ClinicWords.Mm(DepthResolutionMm)}).");
        }

        foreach (var area in Enum.GetValues<Area>())
        {
            if (!MaxDepthByArea.TryGetValue(area, out var max))
                Add("maxDepthByArea", $"{ClinicWords.For(area)} has no maximum depth.");
            else if (max < MinDepthMm || max > MaxDepthMm)
                Add("maxDepthByArea", $"{ClinicWords.For(area)} maximum {ClinicWords.Mm(max)} lies outside {ClinicWords.Mm(MinDepthMm)} – {ClinicWords.Mm(MaxDepthMm)}.");
        }

        if (MaxIncreasePerSessionMm <= 0) Add("maxIncreasePerSessionMm", "must be above 0 mm.");
        if (NumbingThresholdMm < MinDepthMm || NumbingThresholdMm > MaxDepthMm)
            Add("numbingThresholdMm", $"must lie within {ClinicWords.Mm(MinDepthMm)} – {ClinicWords.Mm(MaxDepthMm)}.");

        if (MinPlannedSessions < 1) Add("minPlannedSessions", "must be at least 1.");
        if (MaxPlannedSessions < MinPlannedSessions) Add("maxPlannedSessions", "must be at least the minimum planned sessions.");
        void Planned(string field, int sessions)
        {
            if (sessions < MinPlannedSessions || sessions > MaxPlannedSessions)
                Add(field, $"must lie within {MinPlannedSessions} – {MaxPlannedSessions} sessions.");
        }
        Planned("defaultSessionsPerCourse", DefaultSessionsPerCourse);
        Planned("acneScarsSessionsPerCourse", AcneScarsSessionsPerCourse);
        Planned("stretchMarksSessionsPerCourse", StretchMarksSessionsPerCourse);

        // Upper bounds keep every date the decisions compute inside the calendar.
        void Within(string field, int value, int min, int max, string unit)
        {
            if (value < min || value > max) Add(field, $"must lie within {min} – {max} {unit}.");
        }
        Within("maxPlannedSessions", MaxPlannedSessions, 1, MaxSaneSessions, "sessions");
        Within("minDaysBetweenCourseSessions", MinDaysBetweenCourseSessions, 0, MaxSaneDays, "days");
        Within("courseIntervalMonths", CourseIntervalMonths, 1, MaxSaneMonths, "months");
        Within("maintenanceIntervalMonths", MaintenanceIntervalMonths, 1, MaxSaneMonths, "months");
        Within("screeningValidityMonths", ScreeningValidityMonths, 1, MaxSaneMonths, "months");

        var bands = HealingBands ?? [];
        for (var i = 0; i < bands.Count; i++)
        {
            if (bands[i].Days < 0 || bands[i].Days > MaxSaneDays) Add("healingBands", $"band {i + 1} must heal in 0 – {MaxSaneDays} days.");
            if (i > 0 && bands[i].UpToDepthMm <= bands[i - 1].UpToDepthMm)
                Add("healingBands", $"band {i + 1} must reach deeper than band {i}.");
        }
        Within("healingDaysAboveBands", HealingDaysAboveBands, 0, MaxSaneDays, "days");
        Within("hygieneAftercareDays", HygieneAftercareDays, 0, MaxSaneDays, "days");
        Within("waterAndIrritantsAftercareDays", WaterAndIrritantsAftercareDays, 0, MaxSaneDays, "days");

        foreach (var condition in AbsoluteContraindications.Intersect(Precautions).OrderBy(c => c))
            Add("precautions", $"{ClinicWords.For(condition)} is already an absolute contraindication.");

        if (ClinicWords.Zone(TimeZone) is null)
            Add("timeZone", "is not a time zone this service knows; use an IANA id such as Europe/London.");

        ValidateScales(Add);

        if (FutureTimeTolerance < TimeSpan.Zero || FutureTimeTolerance > TimeSpan.FromDays(1))
            Add("futureTimeTolerance", "must lie within 0 and 1 day.");

        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }

    private const decimal MaxSaneScaleValue = 1000m;

    private void ValidateScales(Action<string, string> add)
    {
        foreach (var scale in Scales)
        {
            var named = $"scale {scale.Name}";
            if (string.IsNullOrWhiteSpace(scale.Name) || scale.Name.Length > SkinScales.MaxNameLength
                || !char.IsAsciiLetterLower(scale.Name[0]) || !scale.Name.All(char.IsAsciiLetterOrDigit))
                add("scales", $"'{scale.Name}' is not a scale name: 1 – {SkinScales.MaxNameLength} letters or digits, starting with a lower-case letter.");
            if (scale.Step <= 0) add("scales", $"{named} must have a step above 0.");
            else if (scale.Min >= scale.Max || (scale.Max - scale.Min) % scale.Step != 0)
                add("scales", $"{named} must run from its minimum to a larger maximum in whole steps of {scale.Step}.");
            if (Math.Abs(scale.Min) > MaxSaneScaleValue || Math.Abs(scale.Max) > MaxSaneScaleValue)
                add("scales", $"{named} must lie within -{MaxSaneScaleValue} – {MaxSaneScaleValue}.");
            if (string.IsNullOrWhiteSpace(scale.Measures)) add("scales", $"{named} must say what it measures.");
        }
        foreach (var twice in Scales.GroupBy(s => s.Name).Where(g => g.Count() > 1))
            add("scales", $"{twice.Key} is named more than once.");
        foreach (var required in new[] { SkinScales.Erythema, SkinScales.Gais })
            if (Scale(required) is null) add("scales", $"must hold {required}: the rules use it.");

        foreach (var concern in Enum.GetValues<Concern>())
        {
            if (!OutcomeScales.TryGetValue(concern, out var name)) add("outcomeScales", $"{concern} has no outcome scale.");
            else if (Scale(name) is not { LowerIsBetter: not null })
                add("outcomeScales", $"{concern}: {name} is not a scale of this protocol with a better direction.");
        }

        if (Scale(SkinScales.Erythema) is { } erythema && (EscalationMaxErythema < erythema.Min || EscalationMaxErythema > erythema.Max))
            add("escalationMaxErythema", $"must lie within the erythema scale, {erythema.Min} – {erythema.Max}.");
    }

    /// <summary>Folds the clinic's own stream: the latest adjustment is the protocol in force.</summary>
    public static ClinicProtocol Evolve(ClinicProtocol current, object @event) => @event switch
    {
        ProtocolAdjusted adjusted => adjusted.Protocol,
        _ => current,
    };
}
