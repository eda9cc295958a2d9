namespace Courses.Api.Hosting;

/// <summary>404s that say nothing about whether the id exists in another clinic.</summary>
public static class NotFound
{
    public static IResult Client(Guid clientId) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Client not found",
        detail: $"No client {clientId} in this clinic.");
}
