namespace Courses.Api.Http;

/// <summary>404s that say nothing about whether the id exists in another clinic.</summary>
public static class NotFound
{
    public static IResult Client(Guid clientId) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Client not found",
        detail: $"No client {clientId} in this clinic.");

    /// <summary>An entity the client's record does not hold (a course, a consultation, a reaction).</summary>
    public static IResult Part(string what, Guid id) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: $"This client's record has no {what} {id}.");
}
