using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Courses.Domain.Assessments;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Courses;
using Courses.Domain.Photos;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;
using JasperFx.Events;
using R4 = Hl7.Fhir.Model;

namespace Courses.Api.Audit;

/// <summary>
/// A client's treatment record as a FHIR R4 collection Bundle: Patient, Consent (with its evidence and withdrawal), an
/// AllergyIntolerance per known or revealed allergy, a CarePlan per course, a Procedure per session with the Medications
/// (serum, numbing cream, by lot) and Devices (needle cartridge by lot, pen by serial) it used, an AdverseEvent per reaction,
/// an Observation per skin score, and a Provenance per resource naming who recorded it. Pure: the record gives what stands
/// now, the stream's events give who recorded each thing and when it was stored. Codes are SNOMED CT where one exists,
/// beside our own vocabulary's.
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

    public const string Snomed = "http://snomed.info/sct";

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
            entries.Add((id, Consent(id, record.Consents[i], record.WithdrawalOf(record.Consents[i]), patient), origins.Consents.ElementAtOrDefault(i)));
        }

        foreach (var allergy in record.Allergies)
        {
            var id = Derived(allergy.ReactionId, "allergy");
            var origin = origins.Created.GetValueOrDefault(id);
            entries.Add((id, RevealedAllergy(id, allergy, record.Reactions.GetValueOrDefault(allergy.ReactionId), patient, origin), origin));
        }
        if (record.LatestScreening is { } screening)
        {
            var origin = origins.Screenings.ElementAtOrDefault(record.Screenings.IndexOf(screening));
            foreach (var product in screening.KnownAllergies.Select(a => a.Trim()).Where(a => a.Length > 0)
                         .DistinctBy(a => a.ToUpperInvariant()).Where(a => !record.HasAllergy(a)))
            {
                var id = Derived(record.Id, $"allergy/screening/{product.ToUpperInvariant()}");
                entries.Add((id, ScreenedAllergy(id, product, screening.ScreenedAt, patient, origin), origin));
            }
        }

        var courses = record.Courses.Values.OrderBy(c => c.PlannedAt).ThenBy(c => c.Id).ToList();
        foreach (var course in courses)
            entries.Add((course.Id, CarePlan(course, patient, origins.Created.GetValueOrDefault(course.Id)), origins.Created.GetValueOrDefault(course.Id)));

        var sessionsInBundle = new HashSet<Guid>();
        var pens = new HashSet<Guid>();
        foreach (var (course, session) in courses.SelectMany(c => c.Sessions.Select(s => (c, s))).OrderBy(p => p.s.PerformedAt))
        {
            var origin = origins.Created.GetValueOrDefault(session.SessionId);
            var used = Used(session).ToList();
            entries.Add((session.SessionId, Procedure(course, session, used, patient, origin), origin));
            // A pen serves many sessions: one Device, recorded by the first session that used it.
            entries.AddRange(used.Where(u => u.Resource is not R4.Device { SerialNumber: not null } || pens.Add(u.Id)).Select(u => (u.Id, u.Resource, origin)));
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

        foreach (var photo in record.Photos.Values.OrderBy(p => p.TakenAt).ThenBy(p => p.Id))
        {
            var origin = origins.Created.GetValueOrDefault(photo.Id);
            entries.Add((photo.Id, Media(record.Id, photo, patient, sessionsInBundle), origin));
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

    private static R4.Consent Consent(Guid id, Consent consent, ConsentWithdrawal? withdrawal, R4.ResourceReference patient)
    {
        var evidence = consent.Evidence;
        var resource = new R4.Consent
        {
            Id = id.ToString(),
            // The hash of the text signed identifies this copy of the consent statement.
            Identifier = evidence?.DocumentSha256 is { } hash ? [new R4.Identifier(VocabularySystem + "consent-document-sha256", hash)] : [],
            Status = withdrawal is null ? R4.Consent.ConsentState.Active : R4.Consent.ConsentState.Inactive,
            Scope = Coded("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"),
            Category = [new R4.CodeableConcept("http://loinc.org", "59284-0") { Text = "Patient consent" }],
            Patient = patient,
            DateTimeElement = new R4.FhirDateTime(consent.SignedAt),
            // The grantor, and the practitioner who explained the procedure to them.
            Performer = evidence?.ExplainedBy is { } explainedBy ? [patient, Practitioner(explainedBy)] : [],
            // R4 invariant ppc-1 wants a policy or a policy rule: the client opted in by signing the clinic's form.
            PolicyRule = Coded("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in"),
            Source = new R4.Attachment
            {
                Title = $"Consent form {consent.FormVersion} ({consent.Procedure})" + evidence?.Method switch
                {
                    ConsentMethod.Paper => ", signed on paper",
                    ConsentMethod.Electronic => ", signed electronically",
                    _ => "",
                },
            },
            Provision = new R4.Consent.provisionComponent
            {
                Type = R4.Consent.ConsentProvisionType.Permit,
                Period = new R4.Period
                {
                    StartElement = new R4.FhirDateTime(consent.SignedAt),
                    EndElement = withdrawal is null ? null : new R4.FhirDateTime(withdrawal.WithdrawnAt),
                },
                Code = [Local("procedure", consent.Procedure.Trim().ToLowerInvariant(), consent.Procedure.Trim())],
            },
        };
        if (evidence is { RisksExplained.Count: > 0 })
            resource.Verification.Add(new R4.Consent.VerificationComponent
            {
                Verified = true,
                VerifiedWith = patient,
                VerificationDateElement = new R4.FhirDateTime(consent.SignedAt),
            });

        // R4 Consent has no note: what was explained, and the withdrawal, are in its narrative for a human reader.
        var lines = new List<string>();
        if (evidence?.ExplainedBy is { } by) lines.Add($"Explained by {by}.");
        if (evidence is { RisksExplained.Count: > 0 })
            lines.Add("Risks explained: " + string.Join(", ", evidence.RisksExplained.Select(ClinicWords.For)) + ".");
        if (evidence?.DocumentSha256 is { } sha256) lines.Add($"SHA-256 of the text signed: {sha256}.");
        if (withdrawal is not null) lines.Add($"Withdrawn at {ClinicWords.Time(withdrawal.WithdrawnAt)}: {withdrawal.Reason}");
        resource.Text = Narrative(lines);
        return resource;
    }

    /// <summary>An allergy a reaction revealed: confirmed by what happened, with that reaction as its manifestation.</summary>
    private static R4.AllergyIntolerance RevealedAllergy(Guid id, ProductAllergy allergy, Reaction? reaction, R4.ResourceReference patient,
        Origin? origin)
    {
        var resource = Allergy(id, allergy.Product, allergy.Kind, "confirmed", "Confirmed", patient, origin);
        resource.Onset = new R4.FhirDateTime(allergy.ObservedAt);
        resource.LastOccurrenceElement = new R4.FhirDateTime(allergy.ObservedAt);
        resource.Reaction.Add(new R4.AllergyIntolerance.ReactionComponent
        {
            Substance = new R4.CodeableConcept { Text = allergy.Product },
            Manifestation = [ReactionKindCode(ReactionKind.AllergicReaction)],
            OnsetElement = new R4.FhirDateTime(allergy.ObservedAt),
            Severity = reaction?.Severity switch
            {
                Severity.Severe => R4.AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
                Severity.Moderate => R4.AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
                Severity.Mild => R4.AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
                _ => null,
            },
            Description = $"Revealed by the allergic reaction of {ClinicWords.Time(allergy.ObservedAt)} (AdverseEvent urn:uuid:{allergy.ReactionId})" +
                          (string.IsNullOrWhiteSpace(reaction?.Notes) ? "." : $": {reaction.Notes}"),
        });
        return resource;
    }

    /// <summary>An allergy the client reported at screening: recorded as they said it, not yet seen by the clinic.</summary>
    private static R4.AllergyIntolerance ScreenedAllergy(Guid id, string product, DateTimeOffset screenedAt, R4.ResourceReference patient,
        Origin? origin)
    {
        var resource = Allergy(id, product, null, "unconfirmed", "Unconfirmed", patient, origin);
        resource.Asserter = patient;
        resource.Note.Add(Note($"Reported by the client at the screening of {ClinicWords.Time(screenedAt)}."));
        return resource;
    }

    private static R4.AllergyIntolerance Allergy(Guid id, string product, ProductKind? kind, string verification, string verificationDisplay,
        R4.ResourceReference patient, Origin? origin) => new()
    {
        Id = id.ToString(),
        Identifier = [Identifier(id)],
        ClinicalStatus = Coded("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active"),
        VerificationStatus = Coded("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", verification, verificationDisplay),
        Type = R4.AllergyIntolerance.AllergyIntoleranceType.Allergy,
        // A numbing cream is a topical anaesthetic; serums and cartridges fit none of R4's categories.
        Category = kind == ProductKind.NumbingCream ? [R4.AllergyIntolerance.AllergyIntoleranceCategory.Medication] : [],
        Code = new R4.CodeableConcept
        {
            Text = kind is { } k ? $"{product} ({ClinicWords.For(k)})" : product,
            Coding = kind is { } known ? [new R4.Coding(VocabularySystem + "product-kind", Api(known), ClinicWords.For(known))] : [],
        },
        Patient = patient,
        RecordedDateElement = origin is null ? null : new R4.FhirDateTime(origin.OccurredAt),
        Recorder = origin is null ? null : User(origin.By),
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

    /// <summary>What a session used, each its own resource: the serum and numbing cream by lot, the cartridge by lot, the pen by serial.</summary>
    private static IEnumerable<(Guid Id, R4.Resource Resource, string Display)> Used(CourseSession session)
    {
        yield return Medication(Derived(session.SessionId, "serum"), session.Serum.Product, session.Serum.Lot, ProductKind.Serum);
        if (session.NumbingCream is { } cream)
            yield return Medication(Derived(session.SessionId, "numbing-cream"), cream.Product, cream.Lot, ProductKind.NumbingCream);
        if (session.NeedleCartridge is { } cartridge)
        {
            var id = Derived(session.SessionId, "needle-cartridge");
            yield return (id, new R4.Device
            {
                Id = id.ToString(),
                Identifier = [Identifier(id)],
                Type = new R4.CodeableConcept { Text = "Microneedling needle cartridge (single use, sterile)", Coding = [ProductKindCoding(ProductKind.NeedleCartridge)] },
                DeviceName = [new R4.Device.DeviceNameComponent { Name = cartridge.Product, Type = R4.DeviceNameType.UserFriendlyName }],
                LotNumber = cartridge.Lot,
            }, WithLot(cartridge.Product, cartridge.Lot));
        }
        if (session.Device is { } pen)
        {
            // The same pen is the same Device in every session: its id comes from its model and serial.
            var id = pen.Serial is null ? Derived(session.SessionId, "pen") : Derived(Guid.Empty, $"pen/{pen.Model.ToUpperInvariant()}/{pen.Serial.ToUpperInvariant()}");
            yield return (id, new R4.Device
            {
                Id = id.ToString(),
                Identifier = [Identifier(id)],
                Type = new R4.CodeableConcept { Text = "Microneedling pen" },
                DeviceName = [new R4.Device.DeviceNameComponent { Name = pen.Model, Type = R4.DeviceNameType.ModelName }],
                SerialNumber = pen.Serial,
            }, pen.Serial is null ? pen.Model : $"{pen.Model}, serial {pen.Serial}");
        }
    }

    private static string WithLot(string product, string? lot) => lot is null ? product : $"{product}, lot {lot}";

    private static (Guid, R4.Resource, string) Medication(Guid id, string product, string? lot, ProductKind kind) => (id, new R4.Medication
    {
        Id = id.ToString(),
        Identifier = [Identifier(id)],
        Code = new R4.CodeableConcept { Text = product, Coding = [ProductKindCoding(kind)] },
        Form = kind == ProductKind.NumbingCream ? new R4.CodeableConcept { Text = "Cream" } : null,
        Batch = lot is null ? null : new R4.Medication.BatchComponent { LotNumber = lot },
    }, WithLot(product, lot));

    private static R4.Procedure Procedure(Course course, CourseSession session, IReadOnlyList<(Guid Id, R4.Resource Resource, string Display)> used,
        R4.ResourceReference patient, Origin? origin)
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
            // usedReference: what the session consumed or handled, not a device "implanted, removed or otherwise
            // manipulated" (focalDevice). usedCode keeps the serum's name for a reader that does not follow references.
            UsedCode = [SerumCode(session.Serum)],
            UsedReference = [.. used.Select(u => Ref(u.Id, u.Resource.TypeName, u.Display))],
        };
        procedure.Note.Add(Note(session.IsMaintenance
            ? $"Maintenance session {session.Number}."
            : $"Course session {session.Number} of {course.PlannedSessions}."));
        foreach (var area in session.Areas)
            procedure.Note.Add(Note($"Microneedling pen, needle depth {ClinicWords.Mm(area.DepthMm)} on {ClinicWords.For(area.Area).ToLowerInvariant()}."));
        procedure.Note.Add(Note(session.Serum.Lot is { Length: > 0 } lot
            ? $"Serum {session.Serum.Product}, lot {lot}."
            : $"Serum {session.Serum.Product}, lot not recorded."));
        procedure.Note.Add(Note(session.NumbingCream is { } cream
            ? $"Numbing cream {cream.Product}, {(cream.Lot is { } creamLot ? $"lot {creamLot}" : "lot not recorded")}."
            : session.NumbingCreamApplied ? "Numbing cream applied." : "No numbing cream."));
        if (session.NeedleCartridge is { } cartridge)
            procedure.Note.Add(Note($"Needle cartridge {cartridge.Product}, {(cartridge.Lot is { } cartridgeLot ? $"lot {cartridgeLot}" : "lot not recorded")}."));
        if (session.Device is { } pen)
            procedure.Note.Add(Note($"Pen {pen.Model}, {(pen.Serial is { } serial ? $"serial {serial}" : "serial not recorded")}."));

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
            Event = ReactionKindCode(reaction.Kind),
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
        adverse.Text = Narrative(lines);
        return adverse;
    }

    /// <summary>The SHA-256 of a photo's stored bytes, as its event carries it (Attachment.hash is SHA-1 in R4).</summary>
    public const string ImageSha256System = "urn:courses:image-sha256";

    /// <summary>A photo: its area and view, when and at which session it was taken, and where its image is served.</summary>
    private static R4.Media Media(Guid clientId, Photo photo, R4.ResourceReference patient, IReadOnlySet<Guid> sessions)
    {
        var view = JsonNamingPolicy.CamelCase.ConvertName(photo.View.ToString());
        var media = new R4.Media
        {
            Id = photo.Id.ToString(),
            Identifier = [Identifier(photo.Id), new R4.Identifier(ImageSha256System, photo.Sha256)],
            // A photo taken in error stays in the record, marked as such; its image is no longer kept.
            Status = photo.IsRetracted ? R4.EventStatus.EnteredInError : R4.EventStatus.Completed,
            Type = Coded("http://terminology.hl7.org/CodeSystem/media-type", "image", "Image"),
            View = Local("photo-view", view, view),
            Subject = patient,
            Created = new R4.FhirDateTime(photo.TakenAt),
            BodySite = Area(photo.Area),
            Width = photo.Width,
            Height = photo.Height,
            Content = new R4.Attachment
            {
                ContentType = photo.ContentType,
                Url = $"/api/clients/{clientId}/photos/{photo.Id}/image",
                Title = $"{ClinicWords.For(photo.Area)}, {view}",
            },
        };
        if (photo.SessionId is { } session && sessions.Contains(session))
            media.PartOf.Add(Ref(session, "Procedure", "The session the photo was taken at"));
        return media;
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

    /// <summary>A text for a human reader, or none when there is nothing to say.</summary>
    private static R4.Narrative? Narrative(IReadOnlyList<string> lines) => lines.Count == 0
        ? null
        : new R4.Narrative
        {
            Status = R4.Narrative.NarrativeStatus.Additional,
            Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>")) + "</div>",
        };

    private static string Api<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Our code, after SNOMED CT's where one exists: a receiver that knows SNOMED CT reads it, ours round-trips.</summary>
    private static R4.CodeableConcept WithSnomed(string vocabulary, string code, string text, (string Code, string Display)? snomed)
    {
        var concept = Local(vocabulary, code, text);
        if (snomed is { } s) concept.Coding.Insert(0, new R4.Coding(Snomed, s.Code, s.Display));
        return concept;
    }

    private static R4.CodeableConcept ReactionKindCode(ReactionKind kind) =>
        WithSnomed("reaction-kind", Api(kind), ClinicWords.For(kind), kind switch
        {
            ReactionKind.Pain => ("22253000", "Pain"),
            ReactionKind.Redness => ("247441003", "Erythema"),
            ReactionKind.Peeling => ("271767006", "Peeling of skin"),
            ReactionKind.Bleeding => ("131148009", "Bleeding"),
            ReactionKind.Infection => ("40733004", "Infectious disease"),
            ReactionKind.AllergicReaction => ("419076005", "Allergic reaction"),
            _ => null,
        });

    private static R4.CodeableConcept Area(Area area) =>
        WithSnomed("area", Api(area), ClinicWords.For(area), area switch
        {
            Domain.Area.Face => ("89545001", "Face structure"),
            Domain.Area.Forehead => ("52795006", "Forehead structure"),
            Domain.Area.Nose => ("45206002", "Nasal structure"),
            Domain.Area.Neck => ("45048000", "Neck structure"),
            Domain.Area.Scalp => ("41695006", "Scalp structure"),
            Domain.Area.Stomach => ("113345001", "Abdominal structure"),
            Domain.Area.Thighs => ("68367000", "Thigh structure"),
            _ => null,
        });

    private static R4.Coding ProductKindCoding(ProductKind kind) => new(VocabularySystem + "product-kind", Api(kind), ClinicWords.For(kind));

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

    private sealed record Origins(Origin? Registered, IReadOnlyList<Origin> Consents, IReadOnlyList<Origin> Screenings,
        IReadOnlyDictionary<Guid, Origin> Created)
    {
        public static Origins Of(IReadOnlyList<IEvent> events)
        {
            Origin? registered = null;
            var consents = new List<Origin>();
            var screenings = new List<Origin>();
            var created = new Dictionary<Guid, Origin>();
            foreach (var e in events)
            {
                Origin At(string by, DateTimeOffset occurredAt) =>
                    new(e.Data, e.Id, e.Version, string.IsNullOrWhiteSpace(by) ? e.UserName ?? "unknown" : by, occurredAt, e.Timestamp);

                switch (e.Data)
                {
                    case ClientRegistered r: registered ??= At(r.RegisteredBy, r.RegisteredAt); break;
                    case ConsentRecorded c: consents.Add(At(c.By, c.SignedAt)); break;
                    case MedicalScreeningRecorded m: screenings.Add(At(m.By, m.ScreenedAt)); break;
                    case SerumAllergyRecorded a: created.TryAdd(Derived(a.ReactionId, "allergy"), At(a.By, a.ObservedAt)); break;
                    case ProductAllergyRecorded a: created.TryAdd(Derived(a.ReactionId, "allergy"), At(a.By, a.ObservedAt)); break;
                    case CoursePlanned p: created.TryAdd(p.CourseId, At(p.By, p.PlannedAt)); break;
                    case ISessionRecorded s: created.TryAdd(s.SessionId, At(s.By, s.PerformedAt)); break;
                    case ReactionReported r: created.TryAdd(r.ReactionId, At(r.By, r.OccurredAt)); break;
                    case SkinAssessed a: created.TryAdd(a.AssessmentId, At(a.By, a.AssessedAt)); break;
                    case PhotoTaken p: created.TryAdd(p.PhotoId, At(p.By, p.TakenAt)); break;
                }
            }
            return new Origins(registered, consents, screenings, created);
        }
    }
}
