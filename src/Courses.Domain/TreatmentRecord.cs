using Courses.Domain.Clients;

namespace Courses.Domain;

/// <summary>
/// One client's treatment record: the state every clinical decision is made on, folded from the client's stream.
/// </summary>
public sealed record TreatmentRecord
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public required string FullName { get; init; }
    public DateOnly DateOfBirth { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }

    public static TreatmentRecord? Evolve(TreatmentRecord? record, object @event) => @event switch
    {
        ClientRegistered registered => new TreatmentRecord
        {
            Id = registered.ClientId,
            FullName = registered.FullName,
            DateOfBirth = registered.DateOfBirth,
            Email = registered.Email,
            Phone = registered.Phone,
            RegisteredAt = registered.RegisteredAt,
        },
        _ => record,
    };

    public static TreatmentRecord? Replay(IEnumerable<object> events) => events.Aggregate((TreatmentRecord?)null, Evolve);
}
