using System.Security.Claims;
using Courses.Domain.Clients;
using Courses.Domain.Protocol;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Clients;

/// <summary>Masks a client's contact fields in the stored events; sent through the durable outbox, so never lost.</summary>
public sealed record MaskContactData(Guid ClientId, string Clinic);

/// <summary>Why the contact data is erased (e.g. "client asked to be forgotten"), kept on the erasure event for auditors.</summary>
public sealed record EraseContactRequest(string? Reason);

public static class EraseContactEndpoint
{
    public static (EraseContactDetails?, ProblemDetails) Validate(EraseContactRequest? request, ClaimsPrincipal user)
    {
        var input = new InputErrors();
        return input.Checked(new EraseContactDetails(input.OptionalText("reason", request?.Reason), user.Subject()));
    }

    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(EraseContactDetails command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(EraseContactDetailsDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    /// <summary>
    /// Records the erasure, then masks name, email and phone in every stored event of the record once it commits. The
    /// clinical events stay; projections follow the erasure event. Erasing again re-applies the masking.
    /// </summary>
    [WolverinePost("/api/clients/{clientId}/erase-contact")]
    [Authorize(Policy = Policies.Erasure)]
    public static (RecordedAnswer, Events, OutgoingMessages) Post(EraseContactRequest? request, Decision decision, [WriteAggregate("clientId")] TreatmentRecord record,
        ClaimsPrincipal user) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events), [new MaskContactData(record.Id, user.Clinic())]);
}

public static class MaskContactDataHandler
{
    public static Task Handle(MaskContactData command, IDocumentStore store, CancellationToken cancellation) =>
        store.Advanced.ApplyEventDataMasking(masking => masking.ForTenant(command.Clinic).IncludeStream(command.ClientId), cancellation);
}
