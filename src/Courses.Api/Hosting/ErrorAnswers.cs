using System.Diagnostics;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Courses.Api.Hosting;

/// <summary>RFC 9457 bodies for every error, and the last line of defence for unhandled exceptions.</summary>
public static class ErrorAnswers
{
    public static IServiceCollection AddCoursesProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            if (problem.Extensions.ContainsKey("bytePositionInLine")) DescribeUnreadableJson(problem);

            // Every refusal is logged once, here: every problem body in the service is written through this hook.
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Courses.Problems");
            logger.Log(problem.Status >= 500 ? LogLevel.Error : LogLevel.Information,
                "{Method} {Path} answered {Status} {Title} {Code}: {Detail}",
                context.HttpContext.Request.Method, context.HttpContext.Request.Path, problem.Status, problem.Title,
                problem.Extensions.TryGetValue("code", out var code) ? code : null, problem.Detail);
            if (problem is { Status: StatusCodes.Status422UnprocessableEntity, Title: Verdicts.RefusedTitle } && code is string rule)
                context.HttpContext.RequestServices.GetRequiredService<CoursesMetrics>().RuleViolated(rule);
        });
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return services;
    }

    /// <summary>
    /// A body the JSON reader could not read: name the field in <c>errors</c>, as for any other invalid input, and
    /// drop the reader's message, which speaks of .NET types rather than of the request.
    /// </summary>
    private static void DescribeUnreadableJson(ProblemDetails problem)
    {
        var detail = problem.Detail ?? "";
        var at = detail.IndexOf("Path: ", StringComparison.Ordinal);
        var path = at < 0 ? "$" : detail[(at + 6)..].Split(' ', 2)[0];
        var field = path.TrimStart('$').TrimStart('.');
        problem.Title = "The request is not valid";
        problem.Detail = "The body is not valid JSON for this request; see errors.";
        problem.Extensions.Remove("lineNumber");
        problem.Extensions.Remove("bytePositionInLine");
        problem.Extensions["errors"] = new Dictionary<string, string[]>
        {
            [field.Length == 0 ? "$" : field] = [field.Length == 0 ? "is not well-formed JSON." : "has a value of the wrong type or form."],
        };
    }
}

internal sealed class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ConcurrencyException)
        {
            logger.LogWarning(exception, "Concurrent write lost on {Path}", http.Request.Path);
            return await Problems.WriteAsync(http, StatusCodes.Status409Conflict, "Concurrent write lost",
                "The record changed while this request was being decided. Reload it and try again.");
        }

        // Database per clinic: a valid token for a clinic this deployment has no database for.
        if (exception is JasperFx.MultiTenancy.UnknownTenantIdException || exception.InnerException is JasperFx.MultiTenancy.UnknownTenantIdException)
        {
            logger.LogWarning(exception, "Clinic without a configured database on {Path}", http.Request.Path);
            return await Problems.WriteAsync(http, StatusCodes.Status403Forbidden, "Clinic not served here",
                "This deployment has no database for the token's clinic.");
        }

        if (exception is BadHttpRequestException bad)
        {
            logger.LogWarning(exception, "Bad request on {Path}", http.Request.Path);
            return await Problems.WriteAsync(http, bad.StatusCode, "Bad request", bad.StatusCode == 413
                ? "The request body is larger than this service accepts."
                : "The request could not be read.");
        }

        if (DatabaseUnavailable.Caused(exception))
        {
            logger.LogError(exception, "Database unavailable on {Method} {Path}", http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds;
            return await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The clinic's records cannot be reached just now; nothing was changed. Try again shortly.");
        }

        logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
        return await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, "Internal error",
            "Something went wrong on our side. Quote the trace id when you report it.");
    }
}

/// <summary>
/// PostgreSQL down, restarting or refusing connections: the request could not be decided, so the caller gets a 503
/// to retry rather than a 500. Marten and Wolverine wrap Npgsql's errors, so the whole chain is searched.
/// </summary>
public static class DatabaseUnavailable
{
    public const string RetryAfterSeconds = "5";

    public static bool Caused(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres when IsUnavailable(postgres.SqlState):
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException or TimeoutException or System.Net.Sockets.SocketException:
                    return true;
            }
        }
        return false;
    }

    // 08: connection exceptions; 57P01–57P03: administrator shutdown, crash shutdown, cannot connect now;
    // 53300: too many connections.
    private static bool IsUnavailable(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300";
}
