using System.Diagnostics;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Courses.Api.Hosting;

/// <summary>RFC 9457 bodies for every error, and the last line of defence for unhandled exceptions.</summary>
public static class Problems
{
    public static IServiceCollection AddCoursesProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] =
                Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return services;
    }

    /// <summary>Writes a problem body: logs it with the request, never leaks internals.</summary>
    public static ValueTask<bool> WriteAsync(HttpContext http, int status, string title, string? detail = null,
        Exception? exception = null, IDictionary<string, object?>? extensions = null)
    {
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
            problem.Extensions[key] = value;
        http.Response.StatusCode = status;
        return problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
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

        if (exception is BadHttpRequestException bad)
        {
            logger.LogWarning(exception, "Bad request on {Path}", http.Request.Path);
            return await Problems.WriteAsync(http, bad.StatusCode, "Bad request", bad.StatusCode == 413
                ? "The request body is larger than this service accepts."
                : "The request could not be read.");
        }

        logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
        return await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, "Internal error",
            "Something went wrong on our side. Quote the trace id when you report it.");
    }
}
