
namespace Courses.Api.Http;

/// <summary>RFC 9457 problem bodies written outside an endpoint (middleware, limits), through the same logging hook as every other.</summary>
public static class Problems
{
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
