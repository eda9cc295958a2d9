using Courses.Domain.Clients;
using static Courses.Api.Demo.BusinessTime;

namespace Courses.Api.Demo;

internal sealed partial class ClientStory
{
    private static readonly string[] FirstNames =
    [
        "Ann", "Amara", "Beatriz", "Chloe", "Daniela", "Eva", "Fatima", "Grace", "Hana", "Ines", "Julia", "Keiko",
        "Laura", "Maya", "Nadia", "Olivia", "Priya", "Rosa", "Sofia", "Tamar", "Uma", "Valentina", "Wen", "Yara",
        "Zoe", "Adam", "Ben", "Carlos", "David", "Emil", "Farid", "George", "Hugo", "Ivan", "James", "Kofi", "Leo",
        "Marco", "Noah", "Omar", "Pavel", "Rafael", "Sam", "Tom",
    ];

    private static readonly string[] LastNames =
    [
        "Adeyemi", "Andersen", "Bianchi", "Brown", "Chen", "Costa", "Dubois", "Evans", "Fischer", "García", "Haddad",
        "Hughes", "Ivanova", "Jensen", "Kaur", "Kowalski", "Lee", "Lopez", "Martin", "Müller", "Nakamura", "Novak",
        "O'Brien", "Okafor", "Patel", "Popescu", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Smith", "Tanaka",
        "Taylor", "Walsh", "Wilson", "Yilmaz", "Zhang",
    ];

    /// <summary>The client registers at reception some days before the consultation (day 0).</summary>
    private (int Day, TimeSpan At) Register()
    {
        var registeredDay = -_draw.Between(4, 24);
        var registeredAt = Day(registeredDay, _draw.OpeningHours());
        Add(registeredAt, _reception, (_, _, now) => RegisterClientDecision.Decide(new RegisterClient(
            _clientId, _fullName, DateOfBirth(), Email(), Phone(), _reception), now));
        return (registeredDay, registeredAt);
    }

    private DateOnly DateOfBirth() => new DateOnly(1960, 1, 1).AddDays(_draw.Between(0, 365 * 44));

    private string? Email() => _draw.Chance(0.85)
        ? $"{_fullName.ToLowerInvariant().Replace(' ', '.').Replace("'", "")}{_draw.Between(1, 99)}@example.com"
        : null;

    private string? Phone() => _draw.Chance(0.9) ? $"+44 7700 900{_draw.Between(0, 999):000}" : null;
}
