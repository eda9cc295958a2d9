using System.Security.Claims;
using Courses.Domain.Clients;
using Courses.Domain.Protocol;
using JasperFx.Events;
using Marten.Events;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Clients;

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
    /// Records the erasure and masks name, email and phone in every stored event of the record, in one transaction: once
    /// this answers, no read shows them, and a crash before the commit leaves neither. The clinical events stay; the read
    /// models follow the erasure event in the same transaction. Erasing again masks again.
    /// </summary>
    [WolverinePost("/api/clients/{clientId}/erase-contact")]
    [Authorize(Policy = Policies.Erasure)]
    public static async Task<(RecordedAnswer, Events)> Post(EraseContactRequest? request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, IDocumentSession session, CancellationToken cancellation)
    {
        await StoredContactData.MaskAsync(session, record.Id, cancellation);
        return (RecordedAnswer.For(record, decision), new Events(decision.Events));
    }
}

/// <summary>The client's contact fields as they are stored in the events of the record.</summary>
public static class StoredContactData
{
    /// <summary>Rewrites the events that hold contact data, masked, in the caller's session: they commit with it or not at all.</summary>
    public static async Task MaskAsync(IDocumentSession session, Guid clientId, CancellationToken cancellation)
    {
        var stored = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == clientId && e.EventTypesAre(typeof(ClientRegistered), typeof(ContactDetailsChanged)))
            .ToListAsync(cancellation);
        foreach (var e in stored)
        {
            switch (e)
            {
                case Event<ClientRegistered> registered:
                    registered.Data = ContactData.Masked(registered.Data);
                    break;
                case Event<ContactDetailsChanged> changed:
                    changed.Data = ContactData.Masked(changed.Data);
                    break;
                default:
                    continue;
            }
            session.Events.OverwriteEvent(e);
        }
    }
}

/// <summary>Queued by versions that masked after answering; handled still, so an erasure they acknowledged is finished after an upgrade.</summary>
public sealed record MaskContactData(Guid ClientId, string Clinic);

public static class MaskContactDataHandler
{
    public static async Task Handle(MaskContactData command, IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(command.Clinic);
        await StoredContactData.MaskAsync(session, command.ClientId, cancellation);
        await session.SaveChangesAsync(cancellation);
    }
}
