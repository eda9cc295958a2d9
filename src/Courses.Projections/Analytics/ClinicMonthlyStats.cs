using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Courses.Domain;
using Courses.Domain.Analytics;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Analytics;

/// <summary>
/// A clinic's activity in one calendar month (Id = "yyyy-MM"), counted from business times. Counts only: no names,
/// no client ids, no notes. The clinic is the tenant, so each clinic has its own documents.
/// </summary>
public sealed record ClinicMonthlyStats
{
    public required string Id { get; init; }

    public int ConsultationsBooked { get; init; }
    public int ConsultationsCompleted { get; init; }
    public int ConsultationsDeclined { get; init; }

    /// <summary>Consultations completed with a plan.</summary>
    public int Conversions { get; init; }

    /// <summary>
    /// Decline reason (trimmed; same words in another case count together; "unspecified" when none) → count.
    /// Kept as typed because the clinic's reasons are not a fixed list yet: the front-end must offer them as a pick
    /// list and staff must never put a name or a clinical detail in them, since analysts read this document.
    /// </summary>
    public ImmutableDictionary<string, int> DeclineReasons { get; init; } = ImmutableDictionary<string, int>.Empty;

    public int CoursesPlanned { get; init; }
    public int CoursesCompleted { get; init; }
    public int CoursesCancelled { get; init; }

    public int Sessions { get; init; }
    public int MaintenanceSessions { get; init; }

    /// <summary>Course and maintenance sessions together, by the band of their deepest area: the rate's denominator.</summary>
    public ImmutableDictionary<string, int> SessionsByDepthBand { get; init; } = ImmutableDictionary<string, int>.Empty;

    public int Reactions { get; init; }
    public ImmutableDictionary<string, int> ReactionsByKind { get; init; } = ImmutableDictionary<string, int>.Empty;
    public ImmutableDictionary<string, int> ReactionsBySeverity { get; init; } = ImmutableDictionary<string, int>.Empty;
    public ImmutableDictionary<string, int> ReactionsByDepthBand { get; init; } = ImmutableDictionary<string, int>.Empty;
    public ImmutableDictionary<string, int> ReactionsBySerum { get; init; } = ImmutableDictionary<string, int>.Empty;
    public ImmutableDictionary<string, int> ReactionsByPractitioner { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>By the numbing cream of the session the reaction followed: its product, "none" when no cream was applied.</summary>
    public ImmutableDictionary<string, int> ReactionsByNumbingCream { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>By the needle cartridge of the session the reaction followed.</summary>
    public ImmutableDictionary<string, int> ReactionsByNeedleCartridge { get; init; } = ImmutableDictionary<string, int>.Empty;

    public static ClinicMonthlyStats Empty(string month) => new() { Id = month };
}

/// <summary>The depth bands analytics group sessions and reactions by, named after their upper bound.</summary>
public static class DepthBands
{
    public const string UpTo1_0 = "upTo1.0";
    public const string UpTo1_5 = "upTo1.5";
    public const string UpTo2_0 = "upTo2.0";
    public const string Over2_0 = "over2.0";

    /// <summary>A reaction reported without naming the session it followed.</summary>
    public const string Unknown = ClinicMonthlyStatsProjection.Unknown;

    public static readonly ImmutableArray<string> Measured = [UpTo1_0, UpTo1_5, UpTo2_0, Over2_0];
    public static readonly ImmutableArray<string> All = [.. Measured, Unknown];

    public static string Of(decimal deepestDepthMm) => deepestDepthMm switch
    {
        <= 1.0m => UpTo1_0,
        <= 1.5m => UpTo1_5,
        <= 2.0m => UpTo2_0,
        _ => Over2_0,
    };

    public static string Of(IReadOnlyList<AreaDepth> areas) => Of(areas.Count == 0 ? 0m : areas.Max(a => a.DepthMm));
}

public partial class ClinicMonthlyStatsProjection : MultiStreamProjection<ClinicMonthlyStats, string>
{
    public const string Unspecified = DeclineReasonPrivacy.Unspecified;

    /// <summary>The serum, practitioner or depth band of a reaction reported without naming its session.</summary>
    public const string Unknown = "unknown";

    /// <summary>The numbing cream of a reaction whose session applied none.</summary>
    public const string None = "none";

    public ClinicMonthlyStatsProjection()
    {
        Identity<ConsultationBooked>(e => Month(e.BookedAt));
        Identity<ConsultationCompleted>(e => Month(e.CompletedAt));
        Identity<TreatmentDeclined>(e => Month(e.DeclinedAt));
        Identity<CoursePlanned>(e => Month(e.PlannedAt));
        Identity<CourseCompleted>(e => Month(e.CompletedAt));
        Identity<CourseCancelled>(e => Month(e.CancelledAt));
        Identity<SessionRecorded>(e => Month(e.PerformedAt));
        Identity<MaintenanceSessionRecorded>(e => Month(e.PerformedAt));
        Identity<ReactionReported>(e => Month(e.OccurredAt));
    }

    /// <summary>The month a business time falls in, in the offset the clinic sent it with (as <see cref="ClinicWords.DayOf"/>).</summary>
    public static string Month(DateTimeOffset at) => at.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public override ClinicMonthlyStats? Evolve(ClinicMonthlyStats? snapshot, string id, IEvent e)
    {
        var stats = snapshot ?? ClinicMonthlyStats.Empty(id);
        return e.Data switch
        {
            ConsultationBooked => stats with { ConsultationsBooked = stats.ConsultationsBooked + 1 },
            ConsultationCompleted completed => stats with
            {
                ConsultationsCompleted = stats.ConsultationsCompleted + 1,
                Conversions = stats.Conversions + (completed.Outcome == ConsultationOutcome.Plan ? 1 : 0),
            },
            TreatmentDeclined declined => stats with
            {
                ConsultationsDeclined = stats.ConsultationsDeclined + 1,
                DeclineReasons = CountTyped(stats.DeclineReasons, declined.Reason, Unspecified),
            },
            CoursePlanned => stats with { CoursesPlanned = stats.CoursesPlanned + 1 },
            CourseCompleted => stats with { CoursesCompleted = stats.CoursesCompleted + 1 },
            CourseCancelled => stats with { CoursesCancelled = stats.CoursesCancelled + 1 },
            ISessionRecorded session => stats with
            {
                Sessions = stats.Sessions + (session.IsMaintenance ? 0 : 1),
                MaintenanceSessions = stats.MaintenanceSessions + (session.IsMaintenance ? 1 : 0),
                SessionsByDepthBand = Count(stats.SessionsByDepthBand, DepthBands.Of(session.Areas)),
            },
            ReactionReported reaction => stats with
            {
                Reactions = stats.Reactions + 1,
                ReactionsByKind = Count(stats.ReactionsByKind, ApiName(reaction.Kind)),
                ReactionsBySeverity = Count(stats.ReactionsBySeverity, ApiName(reaction.Severity)),
                ReactionsByDepthBand = Count(stats.ReactionsByDepthBand,
                    reaction.AfterSession is { } after ? DepthBands.Of(after.DeepestDepthMm) : DepthBands.Unknown),
                ReactionsBySerum = CountTyped(stats.ReactionsBySerum, reaction.AfterSession?.SerumProduct, Unknown),
                ReactionsByPractitioner = Count(stats.ReactionsByPractitioner, reaction.AfterSession?.PractitionerId ?? Unknown),
                ReactionsByNumbingCream = CountTyped(stats.ReactionsByNumbingCream, reaction.AfterSession switch
                {
                    { NumbingCream: { } cream } => cream,
                    { NumbingCreamApplied: false } => None,
                    _ => null,
                }, Unknown),
                ReactionsByNeedleCartridge = CountTyped(stats.ReactionsByNeedleCartridge, reaction.AfterSession?.NeedleCartridge, Unknown),
            },
            _ => stats,
        };
    }

    /// <summary>The JSON name of an enumeration value, as the API speaks it.</summary>
    public static string ApiName<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static ImmutableDictionary<string, int> Count(ImmutableDictionary<string, int> counts, string key) =>
        counts.SetItem(key, counts.GetValueOrDefault(key) + 1);

    /// <summary>
    /// Counts hand-typed text under its trimmed form, joining a different case to the spelling seen first (event order
    /// is fixed, so a rebuild picks the same spelling).
    /// </summary>
    private static ImmutableDictionary<string, int> CountTyped(ImmutableDictionary<string, int> counts, string? typed, string whenBlank)
    {
        var text = string.IsNullOrWhiteSpace(typed) ? whenBlank : typed.Trim();
        var key = counts.Keys.FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase)) ?? text;
        return Count(counts, key);
    }
}
