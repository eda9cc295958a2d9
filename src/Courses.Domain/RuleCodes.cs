namespace Courses.Domain;

/// <summary>The stable problem codes of DESIGN.md §3; clients match on these strings.</summary>
public static class RuleCodes
{
    public const string Contraindicated = "contraindicated";
    public const string ScreeningRequired = "screening-required";
    public const string ConsentRequired = "consent-required";
    public const string DepthOutOfRange = "depth-out-of-range";
    public const string EscalationTooSteep = "escalation-too-steep";
    public const string FirstSessionTooDeep = "first-session-too-deep";
    public const string NumbingRequired = "numbing-required";
    public const string TooSoon = "too-soon";
    public const string UnresolvedReaction = "unresolved-reaction";
    public const string CoursePaused = "course-paused";
    public const string CourseNotActive = "course-not-active";
    public const string SerumAllergy = "serum-allergy";
    public const string FutureTime = "future-time";
    public const string MaintenanceNotAllowed = "maintenance-not-allowed";
    public const string OutOfOrder = "out-of-order";

    // DESIGN.md §7: the skin's evolution.
    public const string ScaleUnknown = "scale-unknown";
    public const string ScoreOutOfRange = "score-out-of-range";
    public const string StillInflamed = "still-inflamed";
    public const string BaselineRequired = "baseline-required";

    // DESIGN.md §9: traceability and consent evidence.
    public const string LotRequired = "lot-required";
    public const string ProductAllergy = "product-allergy";

    // DESIGN.md §8: clinical photos.
    public const string PhotoConsentRequired = "photo-consent-required";

    // Codes DESIGN.md does not name; each covers a case a clinic or an auditor would expect refused.

    /// <summary>An id inside the record (consultation, course, session, reaction) that is not there: maps to 404.</summary>
    public const string NotFound = "not-found";

    /// <summary>A new consultation, course, session or reaction id that the record already holds.</summary>
    public const string AlreadyRecorded = "already-recorded";

    /// <summary>Resuming a course that is not paused.</summary>
    public const string CourseNotPaused = "course-not-paused";

    /// <summary>Rescheduling, cancelling or completing a consultation that is already completed or cancelled.</summary>
    public const string ConsultationNotOpen = "consultation-not-open";

    /// <summary>A session on an area the course plan did not include: escalation would have nothing to start from.</summary>
    public const string AreaNotPlanned = "area-not-planned";

    /// <summary>A session or plan without areas, or naming one area twice.</summary>
    public const string AreasInvalid = "areas-invalid";

    /// <summary>Completing a consultation with outcome "plan" but no plan.</summary>
    public const string PlanRequired = "plan-required";

    /// <summary>Planned sessions outside the protocol's allowed range (default 1–10).</summary>
    public const string PlannedSessionsOutOfRange = "planned-sessions-out-of-range";

    public const string ReactionAlreadyResolved = "reaction-already-resolved";
    public const string ResolvedBeforeReported = "resolved-before-reported";

    /// <summary>A reaction dated before the session it is said to follow.</summary>
    public const string ReactionBeforeSession = "reaction-before-session";

    /// <summary>A reaction names a session this record does not have: a bad reference in the body, not an unknown resource.</summary>
    public const string UnknownSession = "unknown-session";

    /// <summary>An assessment names a course this record does not have: a bad reference in the body.</summary>
    public const string UnknownCourse = "unknown-course";

    /// <summary>A healing check dated before the session whose healing it follows.</summary>
    public const string AssessmentBeforeSession = "assessment-before-session";

    /// <summary>A course outcome dated before any of the course's sessions: there is nothing yet to judge.</summary>
    public const string OutcomeBeforeSessions = "outcome-before-sessions";

    /// <summary>Withdrawing a consent when none is in force at that time: there is nothing to withdraw.</summary>
    public const string NoConsentInForce = "no-consent-in-force";

    /// <summary>Retracting a photo that is already retracted.</summary>
    public const string PhotoRetracted = "photo-retracted";

    /// <summary>A proposed clinic protocol that fails ClinicProtocol.Validate.</summary>
    public const string ProtocolInvalid = "protocol-invalid";
}
