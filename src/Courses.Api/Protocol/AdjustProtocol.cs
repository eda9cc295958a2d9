using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Courses.Projections.Protocol;

namespace Courses.Api.Protocol;

public sealed record ProtocolAdjustedAnswer(ClinicProtocol Protocol) : WriteAnswer
{
    protected override long Version() => Protocol.Version;
}

/// <summary>The protocol a PUT proposes; its own type, because a <see cref="ClinicProtocol"/> is the protocol in force.</summary>
public sealed record ProposedProtocol(ClinicProtocol Protocol);

public static class AdjustProtocolEndpoint
{
    /// <summary>
    /// A PUT replaces the whole protocol; a setting left out of the body takes its DESIGN.md default. The body is read
    /// as a document because a <see cref="ClinicProtocol"/> parameter would be the protocol in force, not the proposal.
    /// </summary>
    public static (ProposedProtocol?, ProblemDetails) Validate(JsonDocument? body, IOptions<JsonOptions> json)
    {
        ClinicProtocol? proposed;
        try
        {
            proposed = body?.Deserialize<ClinicProtocol>(json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            return (null, new InputErrors().Add(e.Path ?? "$", "has a value of the wrong type.").ToProblem());
        }
        if (proposed is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        foreach (var (field, messages) in proposed.Validate())
        foreach (var message in messages)
            input.Add(field, message);
        return input.Checked(new ProposedProtocol(proposed));
    }

    [Refuses(RuleCodes.ProtocolInvalid)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(ProposedProtocol proposed, ClinicProtocol protocol, ClaimsPrincipal user,
        TimeProvider clock) =>
        Verdicts.Of(AdjustProtocolDecision.Decide(protocol, proposed.Protocol, user.Subject(), clock.GetUtcNow()));

    [WolverinePut("/api/protocol")]
    [Authorize(Policy = Policies.ProtocolAdmin)]
    public static async Task<ProtocolAdjustedAnswer> Put(JsonDocument body, Decision decision, ClinicProtocol protocol,
        IDocumentSession session, CancellationToken cancellation)
    {
        // The clinic's stream is not a client's record, so it is written here rather than by [WriteAggregate];
        // the version the decision saw is the one the write must still find.
        var stream = await session.Events.FetchForWriting<ClinicProtocolDocument>(
            ProtocolStream.IdFor(session.TenantId), protocol.Version, cancellation);
        stream.AppendMany(decision.Events);
        return new ProtocolAdjustedAnswer(decision.Events.OfType<ProtocolAdjusted>().Single().Protocol);
    }
}
