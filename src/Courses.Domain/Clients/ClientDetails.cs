namespace Courses.Domain.Clients;

/// <summary>A detail a client gave that cannot be right, under the name the API gives its field.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>What a client's own details must look like before anything is decided on them.</summary>
public static class ClientDetails
{
    /// <summary>Nobody on the record was born earlier; an older date is a typo.</summary>
    public static readonly DateOnly EarliestDateOfBirth = new(1900, 1, 1);

    /// <summary>The problems of a registration's date of birth and email, in that order; none when both can be right.</summary>
    public static IReadOnlyList<FieldProblem> Problems(DateOnly? dateOfBirth, string? email, DateOnly today) =>
        [.. DateOfBirthProblems(dateOfBirth, today), .. EmailProblems(email)];

    public static IEnumerable<FieldProblem> DateOfBirthProblems(DateOnly? dateOfBirth, DateOnly today)
    {
        if (dateOfBirth > today) yield return new("dateOfBirth", "cannot lie in the future.");
        if (dateOfBirth < EarliestDateOfBirth) yield return new("dateOfBirth", FormattableString.Invariant($"must be on or after {EarliestDateOfBirth:yyyy-MM-dd}."));
    }

    /// <summary>Only the '@' is checked: whether an address reaches the client is for the front desk to learn.</summary>
    public static IEnumerable<FieldProblem> EmailProblems(string? email)
    {
        if (!string.IsNullOrWhiteSpace(email) && !email.Contains('@')) yield return new("email", "is not an email address.");
    }
}
