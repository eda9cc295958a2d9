using Courses.Domain.Clients;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Courses.Projections.Clients;

/// <summary>What a front-end shows about a client: who they are and where their treatment stands.</summary>
public sealed record ClientProfile
{
    public Guid Id { get; init; }
    public Guid ClientId => Id;
    public required string FullName { get; init; }
    public DateOnly DateOfBirth { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public long Version { get; init; }
}

public partial class ClientProfileProjection : SingleStreamProjection<ClientProfile, Guid>
{
    public override ClientProfile? Evolve(ClientProfile? profile, Guid id, IEvent e)
    {
        var next = e.Data switch
        {
            ClientRegistered registered => new ClientProfile
            {
                Id = registered.ClientId,
                FullName = registered.FullName,
                DateOfBirth = registered.DateOfBirth,
                Email = registered.Email,
                Phone = registered.Phone,
                RegisteredAt = registered.RegisteredAt,
            },
            ContactDetailsChanged changed when profile is not null => profile with { Email = changed.Email, Phone = changed.Phone },
            _ => profile,
        };
        return next is null ? null : next with { Version = e.Version };
    }
}
