using JasperFx.MultiTenancy;
using System.Diagnostics;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Authorization;
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
            if (problem.Status == StatusCodes.Status403Forbidden && problem.Detail is null) DescribeForbidden(problem, context.HttpContext);
            problem.Type = TypeFor(problem.Status ?? 500, problem.Extensions.TryGetValue("code", out var typeCode) ? typeCode as string : null);

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
        // Wolverine logs a body it cannot read as an error, with the reader's stack trace, under the body type's name:
        // a caller's typo is not our fault, and the 400 is logged once, at Information, by the hook above.
        services.AddLogging(logging =>
        {
            foreach (var category in UnreadableJson.BodyLogCategories) logging.AddFilter(category, LogLevel.Critical);
        });
        return services;
    }

    /// <summary>The one scheme for every problem's <c>type</c>: a rule's code for a 422, else the status's name.</summary>
    public const string TypeBase = "https://courses.example/problems/";

    public static string TypeFor(int status, string? code) =>
        TypeBase + (status == StatusCodes.Status422UnprocessableEntity && !string.IsNullOrEmpty(code) ? code : Slug(status));

    private static string Slug(int status)
    {
        var phrase = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        return phrase.Length == 0 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Join('-', phrase.ToLowerInvariant().Split(' ', '-').Where(w => w.Length > 0));
    }

    /// <summary>A 403 from a route's policy: say which roles the route needs, not just "forbidden".</summary>
    private static void DescribeForbidden(ProblemDetails problem, HttpContext http)
    {
        var policies = http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().ToArray() ?? [];
        var roles = policies.SelectMany(p => Policies.RolesFor.TryGetValue(p, out var r) ? r : []).Distinct().ToArray();
        problem.Title = "Not allowed for your role";
        problem.Detail = roles.Length == 0
            ? "The token does not allow this request."
            : $"This route needs one of the roles: {string.Join(", ", roles)}. The token has {Held(http)}.";
        if (roles.Length > 0) problem.Extensions["requiredRoles"] = roles;
    }

    private static string Held(HttpContext http)
    {
        var held = http.User.FindAll(Caller.RoleClaim).Select(c => c.Value).ToArray();
        return held.Length == 0 ? "no role" : (held.Length == 1 ? "the role " : "the roles ") + string.Join(", ", held);
    }

    /// <summary>
    /// A body the JSON reader could not read: name the member at fault in <c>errors</c> and say what was expected, as
    /// for any other invalid input. The reader's message, which speaks of .NET types, is read here and never shown.
    /// </summary>
    private static void DescribeUnreadableJson(ProblemDetails problem)
    {
        var errors = UnreadableJson.Describe(problem.Detail ?? "");
        problem.Title = "The request is not valid";
        problem.Detail = errors.ContainsKey("$") ? "The body is not well-formed JSON." : "One or more members are missing or invalid; see errors.";
        problem.Extensions.Remove("lineNumber");
        problem.Extensions.Remove("bytePositionInLine");
        problem.Extensions["errors"] = errors;
    }
}

/// <summary>
/// Reads System.Text.Json's message for a body it refused and says, per member, what the caller should send instead.
/// Well-formed JSON is never called "not well-formed": only a syntax error is.
/// </summary>
public static partial class UnreadableJson
{
    /// <summary>
    /// The loggers Wolverine reports an unreadable body through: one per body type, named after it — every slice's
    /// <c>…Request</c>, and the raw document the protocol takes.
    /// </summary>
    public static IEnumerable<string> BodyLogCategories => typeof(UnreadableJson).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && t.Namespace?.StartsWith("Courses.Api", StringComparison.Ordinal) == true)
        .Select(t => t.FullName!)
        .Append(typeof(System.Text.Json.JsonDocument).FullName!);


    public static Dictionary<string, string[]> Describe(string message)
    {
        if (Unmapped().Match(message) is { Success: true } unmapped)
            return One(unmapped.Groups[1].Value, $"'{unmapped.Groups[1].Value}' is not a member of this request.");
        if (Duplicate().Match(message) is { Success: true } duplicate)
            return One(duplicate.Groups[1].Value, "is given more than once.");
        if (Missing().Match(message) is { Success: true } missing)
            return missing.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(name => name.Trim('\''))
                .ToDictionary(name => name, _ => new[] { "must be given: send null to leave it empty or remove it." });
        if (Unconvertible().Match(message) is { Success: true } wrong)
        {
            var path = wrong.Groups[2].Value;
            var field = path.TrimStart('$').TrimStart('.');
            if (field.Length > 0) return One(field, Expected(wrong.Groups[1].Value, path));
        }
        var at = Position().Match(message);
        return One("$", at.Success ? $"is not well-formed JSON (at byte {at.Groups[2].Value} of line {int.Parse(at.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1})." : "is not well-formed JSON.");
    }

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    /// <summary>What a member of a .NET type looks like in JSON; for a request type, the type of the member at the path's end.</summary>
    private static string Expected(string typeName, string path)
    {
        if (typeName.Contains("DateTimeOffset", StringComparison.Ordinal)) return StrictTimeConverter.Expected;
        if (typeName.Contains("DateOnly", StringComparison.Ordinal)) return "must be a date as yyyy-MM-dd, such as 1990-04-21.";
        if (typeName.Contains("System.Guid", StringComparison.Ordinal)) return "expected an id: a UUID in a string.";
        if (typeName.Contains("IReadOnlyList", StringComparison.Ordinal) || typeName.Contains("List`1", StringComparison.Ordinal)
            || typeName.EndsWith("[]", StringComparison.Ordinal)) return "expected a list (a JSON array).";
        if (typeName.Contains("System.Decimal", StringComparison.Ordinal) || typeName.Contains("System.Int", StringComparison.Ordinal)
            || typeName.Contains("System.Double", StringComparison.Ordinal)) return "expected a number.";
        if (typeName.Contains("System.Boolean", StringComparison.Ordinal)) return "expected true or false.";
        if (typeName.Contains("System.String", StringComparison.Ordinal)) return "expected text (a JSON string).";
        var type = typeof(UnreadableJson).Assembly.GetType(typeName);
        var last = path.Split('.')[^1];
        var member = type?.GetProperties().FirstOrDefault(p =>
            string.Equals(p.Name, last.Split('[')[0], StringComparison.OrdinalIgnoreCase));
        if (member is not null && member.PropertyType.FullName is { } memberType && memberType != typeName)
            return Expected(last.EndsWith(']') ? ElementType(member.PropertyType) : memberType, "");
        return "expected an object with this request's members.";
    }

    private static string ElementType(Type list) =>
        (list.IsArray ? list.GetElementType() : list.GetGenericArguments().FirstOrDefault())?.FullName ?? "";

    [System.Text.RegularExpressions.GeneratedRegex(@"^The JSON property '(.+?)' could not be mapped")]
    private static partial System.Text.RegularExpressions.Regex Unmapped();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Duplicate property '(.+?)'")]
    private static partial System.Text.RegularExpressions.Regex Duplicate();

    [System.Text.RegularExpressions.GeneratedRegex(@"missing required properties,? including: (.+?)\.?$")]
    private static partial System.Text.RegularExpressions.Regex Missing();

    [System.Text.RegularExpressions.GeneratedRegex(@"could not be converted to (\S+?)\. Path: (\S+) \|")]
    private static partial System.Text.RegularExpressions.Regex Unconvertible();

    [System.Text.RegularExpressions.GeneratedRegex(@"LineNumber: (\d+) \| BytePositionInLine: (\d+)")]
    private static partial System.Text.RegularExpressions.Regex Position();
}

internal sealed class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (WarmupRequest.Is(http) && WarmupRollback.RolledBack(exception))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return true;
        }

        if (exception is ConcurrencyException)
        {
            logger.LogWarning(exception, "Concurrent write lost on {Path}", http.Request.Path);
            return await Problems.WriteAsync(http, StatusCodes.Status409Conflict, "Concurrent write lost",
                "The record changed while this request was being decided. Reload it and try again.");
        }

        // Database per clinic: a valid token for a clinic this deployment has no database for.
        if (exception is UnknownTenantIdException or DisabledTenantException || exception.InnerException is UnknownTenantIdException or DisabledTenantException)
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

        if (exception is Photos.PhotoStoreUnavailable)
        {
            logger.LogError(exception, "Photo store unavailable on {Method} {Path}", http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds;
            return await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Photo store unavailable",
                "The clinic's photo store cannot be reached just now; nothing was recorded. Try again shortly.");
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
