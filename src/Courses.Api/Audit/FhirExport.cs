using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Courses.Domain.Assessments;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using JasperFx.Events;
using R4 = Hl7.Fhir.Model;

namespace Courses.Api.Audit;

/// <summary>
/// A client's treatment record as a FHIR R4 collection Bundle: Patient, Consent, a CarePlan per course, a Procedure per
/// session, an AdverseEvent per reaction, an Observation per skin score, and a Provenance per resource naming who recorded it. Pure: the record gives
/// what stands now, the stream's events give who recorded each thing and when it was stored.
/// </summary>
public static class FhirExport
{
    /// <summary>Resource identifiers: our entity ids as URIs, so a receiver can match a re-export to what it holds.</summary>
    public const string UriSystem = "urn:ietf:rfc:3986";

    /// <summary>The clinic's practitioner ids (the <c>practitionerId</c> a request names).</summary>
    public const string PractitionerSystem = "urn:courses:practitioner";

    /// <summary>The signed-in users who record events (the token's <c>sub</c>, each event's <c>By</c>).</summary>
    public const string UserSystem = "urn:courses:user";

    /// <summary>Our own vocabulary (DESIGN.md §5), codes as the API spells them; text carries the clinic's words.</summary>
    public const string VocabularySystem = "urn:courses:vocabulary:";

    private const string Microneedling = "Microneedling (collagen induction therapy)";

    public static R4.Bundle From(TreatmentRecord record, IReadOnlyList<IEvent> events, DateTimeOffset assembledAt)
    {
        var origins = Origins.Of(events);
        var entries = new List<(Guid Id, R4.Resource Resource, Origin? Origin)>();
        var patient = Ref(record.Id, "Patient", record.FullName);

        entries.Add((record.Id, Patient(record), origins.Registered));

        for (var i = 0; i < record.Consents.Count; i++)
        {
            var id = Derived(record.Id, $"consent/{i}");
            entries.Add((id, Consent(id, record.Consents[i], patient), origins.Consents.ElementAtOrDefault(i)));
        }

        var courses = record.Courses.Values.OrderBy(c => c.PlannedAt).ThenBy(c => c.Id).ToList();
        foreach (var course in courses)
            entries.Add((course.Id, CarePlan(course, patient, origins.Created.GetValueOrDefault(course.Id)), origins.Created.GetValueOrDefault(course.Id)));

        var sessionsInBundle = new HashSet<Guid>();
        foreach (var (course, session) in courses.SelectMany(c => c.Sessions.Select(s => (c, s))).OrderBy(p => p.s.PerformedAt))
        {
            var origin = origins.Created.GetValueOrDefault(session.SessionId);
            entries.Add((session.SessionId, Procedure(course, session, patient, origin), origin));
            sessionsInBundle.Add(session.SessionId);
        }

        foreach (var reaction in record.Reactions.Values.OrderBy(r => r.OccurredAt).ThenBy(r => r.Id))
        {
            var origin = origins.Created.GetValueOrDefault(reaction.Id);
            entries.Add((reaction.Id, AdverseEvent(reaction, patient, origin, sessionsInBundle), origin));
        }

        var coursesInBundle = courses.Select(c => c.Id).ToHashSet();
        foreach (var assessment in record.Assessments.OrderBy(a => a.AssessedAt).ThenBy(a => a.Id))
        {
            var origin = origins.Created.GetValueOrDefault(assessment.Id);
            var scales = (origin?.Event as SkinAssessed)?.Scales ?? [];
            for (var i = 0; i < assessment.Scores.Count; i++)
            {
                var id = Derived(assessment.Id, $"score/{i}");
                entries.Add((id, Observation(id, assessment, assessment.Scores[i], scales, patient, sessionsInBundle, coursesInBundle), origin));
            }
        }

        var provenances = entries
            .Where(e => e.Origin is not null)
            .Select(e => (Id: Derived(e.Id, "provenance"), Resource: (R4.Resource)Provenance(e.Id, e.Resource, e.Origin!)))
            .ToList();

        return new R4.Bundle
        {
            Type = R4.Bundle.BundleType.Collection,
            Timestamp = assembledAt,
            Entry = [.. entries.Select(e => (e.Id, e.Resource)).Concat(provenances).Select(e => Entry(e.Id, e.Resource))],
        };
    }

    private static R4.Patient Patient(TreatmentRecord record)
    {
        var patient = new R4.Patient
        {
            Id = record.Id.ToString(),
            Identifier = [Identifier(record.Id)],
            BirthDate = record.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        // Erasure of contact data may leave the name blank; an empty HumanName is invalid FHIR.
        if (!string.IsNullOrWhiteSpace(record.FullName)) patient.Name = [new R4.HumanName { Text = record.FullName }];
        if (!string.IsNullOrWhiteSpace(record.Email))
            patient.Telecom.Add(new R4.ContactPoint { System = R4.ContactPoint.ContactPointSystem.Email, Value = record.Email });
        if (!string.IsNullOrWhiteSpace(record.Phone))
            patient.Telecom.Add(new R4.ContactPoint { System = R4.ContactPoint.ContactPointSystem.Phone, Value = record.Phone });
        return patient;
    }

    private static R4.Consent Consent(Guid id, Consent consent, R4.ResourceReference patient) => new()
    {
        Id = id.ToString(),
        Status = R4.Consent.ConsentState.Active,
        Scope = Coded("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"),
        Category = [new R4.CodeableConcept("http://loinc.org", "59284-0") { Text = "Patient consent" }],
        Patient = patient,
        DateTimeElement = new R4.FhirDateTime(consent.SignedAt),
        // R4 invariant ppc-1 wants a policy or a policy rule: the client opted in by signing the clinic's form.
        PolicyRule = Coded("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in"),
        Source = new R4.Attachment { Title = $"Consent form {consent.FormVersion} ({consent.Procedure})" },
        Provision = new R4.Consent.provisionComponent
        {
            Type = R4.Consent.ConsentProvisionType.Permit,
            Code = [Local("procedure", consent.Procedure.Trim().ToLowerInvariant(), consent.Procedure.Trim())],
        },
    };

    private static R4.CarePlan CarePlan(Course course, R4.ResourceReference patient, Origin? origin)
    {
        var concerns = course.Concerns.Select(Concern).ToList();
        var plan = new R4.CarePlan
        {
            Id = course.Id.ToString(),
            Identifier = [Identifier(course.Id)],
            Status = course.Status switch
            {
                // A planned course is agreed and meant to be acted on: active, not draft; the activity says not-started.
                CourseStatus.Planned or CourseStatus.Active => R4.RequestStatus.Active,
                CourseStatus.Paused => R4.RequestStatus.OnHold,
                CourseStatus.Completed => R4.RequestStatus.Completed,
                _ => R4.RequestStatus.Revoked,
            },
            Intent = R4.CarePlan.CarePlanIntent.Plan,
            Title = "Microneedling course",
            Description = $"{course.PlannedSessions} sessions one month apart for {string.Join(", ", concerns.Select(c => c.Text))}; serum {course.Serum.Product}.",
            Subject = patient,
            Period = new R4.Period
            {
                StartElement = new R4.FhirDateTime(course.PlannedAt),
                EndElement = (course.CompletedAt ?? course.CancelledAt) is { } end ? new R4.FhirDateTime(end) : null,
            },
            CreatedElement = new R4.FhirDateTime(course.PlannedAt),
            Author = origin?.Event is CoursePlanned planned ? Practitioner(planned.PractitionerId) : null,
            Activity =
            [
                new R4.CarePlan.ActivityComponent
                {
                    OutcomeReference = [.. course.CourseSessions.Select(s => Ref(s.SessionId, "Procedure", $"Session {s.Number}"))],
                    Detail = new R4.CarePlan.DetailComponent
                    {
                        Code = new R4.CodeableConcept { Text = $"{Microneedling}, course session" },
                        Status = course.Status switch
                        {
                            CourseStatus.Planned => R4.CarePlan.CarePlanActivityStatus.NotStarted,
                            CourseStatus.Active => R4.CarePlan.CarePlanActivityStatus.InProgress,
                            CourseStatus.Paused => R4.CarePlan.CarePlanActivityStatus.OnHold,
                            CourseStatus.Completed => R4.CarePlan.CarePlanActivityStatus.Completed,
                            _ => R4.CarePlan.CarePlanActivityStatus.Cancelled,
                        },
                        StatusReason = course.PauseReason is { } reason ? new R4.CodeableConcept { Text = reason } : null,
                        ReasonCode = concerns,
                        Scheduled = new R4.Timing
                        {
                            Repeat = new R4.Timing.RepeatComponent { Count = course.PlannedSessions, Period = 1, PeriodUnit = R4.Timing.UnitsOfTime.Mo },
                        },
                        Product = SerumCode(course.Serum),
                        Description = "Planned starting depth: " + string.Join("; ", course.Areas.Select(a => $"{ClinicWords.For(a.Area)} {ClinicWords.Mm(a.StartingDepthMm)}")),
                    },
                },
            ],
        };
        if (course.NextSessionDueOn is { } next) plan.Note.Add(Note($"Next course session due on {ClinicWords.Day(next)}."));
        if (course.MaintenanceDueOn is not null || course.MaintenanceSessions.Any())
            plan.Activity.Add(new R4.CarePlan.ActivityComponent
            {
                OutcomeReference = [.. course.MaintenanceSessions.Select(s => Ref(s.SessionId, "Procedure", $"Maintenance session {s.Number}"))],
                Detail = new R4.CarePlan.DetailComponent
                {
                    Code = new R4.CodeableConcept { Text = $"{Microneedling}, maintenance session" },
                    Status = course.Status == CourseStatus.Cancelled
                        ? R4.CarePlan.CarePlanActivityStatus.Cancelled
                        : R4.CarePlan.CarePlanActivityStatus.Scheduled,
                    Scheduled = course.MaintenanceDueOn is { } due ? new R4.Period { Start = ClinicWords.Day(due) } : null,
                    Product = SerumCode(course.Serum),
                },
            });
        return plan;
    }

    private static R4.Procedure Procedure(Course course, CourseSession session, R4.ResourceReference patient, Origin? origin)
    {
        var procedure = new R4.Procedure
        {
            Id = session.SessionId.ToString(),
            Identifier = [Identifier(session.SessionId)],
            BasedOn = [Ref(course.Id, "CarePlan", "Microneedling course")],
            Status = R4.EventStatus.Completed,
            Category = session.IsMaintenance
                ? Local("session-kind", "maintenance", "Maintenance session")
                : Local("session-kind", "course", "Course session"),
            Code = new R4.CodeableConcept { Text = Microneedling },
            Subject = patient,
            Performed = new R4.FhirDateTime(session.PerformedAt),
            Recorder = origin is null ? null : User(origin.By),
            Performer = [new R4.Procedure.PerformerComponent { Actor = Practitioner(session.PractitionerId) }],
            BodySite = [.. session.Areas.Select(a => Area(a.Area))],
            // usedCode: the serum is consumed, not a device "implanted, removed or otherwise manipulated" (focalDevice),
            // and focalDevice.manipulated must reference a Device resource we do not have.
            UsedCode = [SerumCode(session.Serum)],
        };
        procedure.Note.Add(Note(session.IsMaintenance
            ? $"Maintenance session {session.Number}."
            : $"Course session {session.Number} of {course.PlannedSessions}."));
        foreach (var area in session.Areas)
            procedure.Note.Add(Note($"Microneedling pen, needle depth {ClinicWords.Mm(area.DepthMm)} on {ClinicWords.For(area.Area).ToLowerInvariant()}."));
        procedure.Note.Add(Note(session.Serum.Lot is { Length: > 0 } lot
            ? $"Serum {session.Serum.Product}, lot {lot}."
            : $"Serum {session.Serum.Product}, lot not recorded."));
        procedure.Note.Add(Note(session.NumbingCreamApplied ? "Numbing cream applied." : "No numbing cream."));

        var facts = origin?.Event switch
        {
            ISessionRecorded s => (s.CalmingMaskApplied, s.SpfApplied, s.Precautions, s.Notes, s.ProtocolVersion),
            _ => ((bool, bool, IReadOnlyList<Condition>, string?, long)?)null,
        };
        if (facts is var (mask, spf, precautions, notes, protocolVersion))
        {
            procedure.Note.Add(Note($"Calming mask {(mask ? "applied" : "not applied")}; SPF {(spf ? "applied" : "not applied")}."));
            if (precautions.Count > 0)
                procedure.Note.Add(Note("Precautions: " + string.Join(", ", precautions.Select(ClinicWords.For)) + "."));
            if (!string.IsNullOrWhiteSpace(notes)) procedure.Note.Add(Note(notes));
            procedure.Note.Add(Note($"Checked against clinic protocol version {protocolVersion}."));
        }
        return procedure;
    }

    private static R4.AdverseEvent AdverseEvent(Reaction reaction, R4.ResourceReference patient, Origin? origin, IReadOnlySet<Guid> sessions)
    {
        var adverse = new R4.AdverseEvent
        {
            Id = reaction.Id.ToString(),
            Identifier = Identifier(reaction.Id),
            Actuality = R4.AdverseEvent.AdverseEventActuality.Actual,
            Event = Local("reaction-kind", JsonNamingPolicy.CamelCase.ConvertName(reaction.Kind.ToString()), ClinicWords.For(reaction.Kind)),
            Subject = patient,
            DateElement = new R4.FhirDateTime(reaction.OccurredAt),
            RecordedDateElement = origin is null ? null : new R4.FhirDateTime(origin.RecordedAt),
            Severity = Coded("http://terminology.hl7.org/CodeSystem/adverse-event-severity",
                JsonNamingPolicy.CamelCase.ConvertName(reaction.Severity.ToString()), reaction.Severity.ToString()),
            Outcome = reaction.IsResolved
                ? Coded("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "resolved", "Resolved", reaction.Outcome)
                : Coded("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "ongoing", "Ongoing"),
            Recorder = origin is null ? null : User(origin.By),
        };
        if (reaction.SessionId is { } session && sessions.Contains(session))
            adverse.SuspectEntity.Add(new R4.AdverseEvent.SuspectEntityComponent { Instance = Ref(session, "Procedure", "The session the reaction followed") });
        if (!string.IsNullOrWhiteSpace(reaction.SuspectedProduct))
            // No Substance resource for a product named by hand: a display-only reference, which needs no resolving.
            adverse.SuspectEntity.Add(new R4.AdverseEvent.SuspectEntityComponent
            {
                Instance = new R4.ResourceReference { Type = "Substance", Display = reaction.SuspectedProduct },
            });

        // R4 AdverseEvent has no note or resolution time: the narrative keeps them for a human reader.
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(reaction.Notes)) lines.Add($"Notes: {reaction.Notes}");
        if (reaction.ResolvedAt is { } resolvedAt)
            lines.Add($"Resolved at {ClinicWords.Time(resolvedAt)}{(string.IsNullOrWhiteSpace(reaction.Outcome) ? "" : $": {reaction.Outcome}")}");
        if (lines.Count > 0)
            adverse.Text = new R4.Narrative
            {
                Status = R4.Narrative.NarrativeStatus.Additional,
                Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>")) + "</div>",
            };
        return adverse;
    }

    private static R4.Observation Observation(Guid id, SkinAssessment assessment, SkinScore score, IReadOnlyList<SkinScale> scales,
        R4.ResourceReference patient, IReadOnlySet<Guid> sessions, IReadOnlySet<Guid> courses)
    {
        var scale = scales.FirstOrDefault(s => s.Name == score.Scale);
        var kind = JsonNamingPolicy.CamelCase.ConvertName(assessment.Kind.ToString());
        var observation = new R4.Observation
        {
            Id = id.ToString(),
            Identifier = [Identifier(id)],
            Status = R4.ObservationStatus.Final,
            Category =
            [
                Coded("http://terminology.hl7.org/CodeSystem/observation-category", "exam", "Exam"),
                Local("assessment-kind", kind, kind switch
                {
                    "healingCheck" => "Healing check",
                    _ => char.ToUpperInvariant(kind[0]) + kind[1..],
                }),
            ],
            Code = Local("scale", score.Scale, scale?.Measures ?? score.Scale),
            Subject = patient,
            Effective = new R4.FhirDateTime(assessment.AssessedAt),
            Performer = [Practitioner(assessment.AssessorId)],
            Value = new R4.Quantity { Value = score.Value, Unit = "score", System = "http://unitsofmeasure.org", Code = "{score}" },
            BodySite = score.Area is { } area ? Area(area) : null,
        };
        // A healing check is part of the session whose healing it follows; any other score of a course is based on its plan.
        if (assessment.Kind == AssessmentKind.HealingCheck && assessment.SessionId is { } session && sessions.Contains(session))
            observation.PartOf.Add(Ref(session, "Procedure", "The session whose healing was checked"));
        else if (assessment.CourseId is { } course && courses.Contains(course))
            observation.BasedOn.Add(Ref(course, "CarePlan", "Microneedling course"));
        if (scale is not null)
            observation.Note.Add(Note($"{scale.Name} runs {scale.Min} – {scale.Max} in steps of {scale.Step}" + scale.LowerIsBetter switch
            {
                true => "; lower is better.",
                false => "; higher is better.",
                null => "; a trait, not an outcome.",
            }));
        if (!string.IsNullOrWhiteSpace(assessment.Notes)) observation.Note.Add(Note(assessment.Notes));
        return observation;
    }

    private static R4.Provenance Provenance(Guid targetId, R4.Resource target, Origin origin) => new()
    {
        Id = Derived(targetId, "provenance").ToString(),
        Target = [Ref(targetId, target.TypeName, null)],
        Occurred = new R4.FhirDateTime(origin.OccurredAt),
        Recorded = origin.RecordedAt,
        Activity = Coded("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create"),
        Agent =
        [
            new R4.Provenance.AgentComponent
            {
                Type = Coded("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "enterer", "Enterer"),
                Who = User(origin.By),
            },
        ],
        // The event the resource came from, as the history route lists it: an auditor can go from one to the other.
        Entity =
        [
            new R4.Provenance.EntityComponent
            {
                Role = R4.Provenance.ProvenanceEntityRole.Source,
                What = new R4.ResourceReference
                {
                    Identifier = new R4.Identifier(UriSystem, $"urn:uuid:{origin.EventId}"),
                    Display = $"{origin.Event.GetType().Name}, version {origin.Version} of the record",
                },
            },
        ],
    };

    private static R4.Bundle.EntryComponent Entry(Guid id, R4.Resource resource) =>
        new() { FullUrl = $"urn:uuid:{id}", Resource = resource };

    private static R4.ResourceReference Ref(Guid id, string type, string? display) =>
        new($"urn:uuid:{id}", display) { Type = type };

    private static R4.Identifier Identifier(Guid id) => new(UriSystem, $"urn:uuid:{id}");

    /// <summary>A logical reference: we know the practitioner's id in the clinic, not a Practitioner resource.</summary>
    private static R4.ResourceReference Practitioner(string practitionerId) => new()
    {
        Type = "Practitioner",
        Identifier = new R4.Identifier(PractitionerSystem, practitionerId),
        Display = practitionerId,
    };

    /// <summary>Who recorded an event: a user of the service, known by the token's subject.</summary>
    private static R4.ResourceReference User(string by) => new()
    {
        Type = "Practitioner",
        Identifier = new R4.Identifier(UserSystem, by),
        Display = by,
    };

    private static R4.CodeableConcept Coded(string system, string code, string display, string? text = null) =>
        new(system, code, display, text);

    private static R4.CodeableConcept Local(string vocabulary, string code, string text) =>
        new(VocabularySystem + vocabulary, code, text, text);

    private static R4.CodeableConcept Area(Area area) =>
        Local("area", JsonNamingPolicy.CamelCase.ConvertName(area.ToString()), ClinicWords.For(area));

    private static R4.CodeableConcept Concern(Concern concern) =>
        Local("concern", JsonNamingPolicy.CamelCase.ConvertName(concern.ToString()), concern switch
        {
            Domain.Concern.DarkSpots => "dark spots / hyperpigmentation",
            Domain.Concern.LargePores => "large pores",
            Domain.Concern.StretchMarks => "stretch marks",
            Domain.Concern.FineLines => "fine lines and wrinkles",
            Domain.Concern.LossOfElasticity => "loss of elasticity",
            Domain.Concern.HairLoss => "hair loss",
            Domain.Concern.AcneScars => "acne scars",
            _ => concern.ToString(),
        });

    private static R4.CodeableConcept SerumCode(Serum serum) => new() { Text = serum.Product };

    private static R4.Annotation Note(string text) => new() { Text = text };

    /// <summary>
    /// A stable id for a resource that has no entity id of its own (consents, provenances): a re-export of the same
    /// record gives the same fullUrls. Name-based, RFC 9562 version 8.
    /// </summary>
    private static Guid Derived(Guid of, string what)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{of:N}/{what}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The event that created an entity: who recorded it, the business time, and when the store kept it.</summary>
    private sealed record Origin(object Event, Guid EventId, long Version, string By, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

    private sealed record Origins(Origin? Registered, IReadOnlyList<Origin> Consents, IReadOnlyDictionary<Guid, Origin> Created)
    {
        public static Origins Of(IReadOnlyList<IEvent> events)
        {
            Origin? registered = null;
            var consents = new List<Origin>();
            var created = new Dictionary<Guid, Origin>();
            foreach (var e in events)
            {
                Origin At(string by, DateTimeOffset occurredAt) =>
                    new(e.Data, e.Id, e.Version, string.IsNullOrWhiteSpace(by) ? e.UserName ?? "unknown" : by, occurredAt, e.Timestamp);

                switch (e.Data)
                {
                    case ClientRegistered r: registered ??= At(r.RegisteredBy, r.RegisteredAt); break;
                    case ConsentRecorded c: consents.Add(At(c.By, c.SignedAt)); break;
                    case CoursePlanned p: created.TryAdd(p.CourseId, At(p.By, p.PlannedAt)); break;
                    case ISessionRecorded s: created.TryAdd(s.SessionId, At(s.By, s.PerformedAt)); break;
                    case ReactionReported r: created.TryAdd(r.ReactionId, At(r.By, r.OccurredAt)); break;
                    case SkinAssessed a: created.TryAdd(a.AssessmentId, At(a.By, a.AssessedAt)); break;
                }
            }
            return new Origins(registered, consents, created);
        }
    }
}
