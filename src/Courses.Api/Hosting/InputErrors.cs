using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Courses.Api.Hosting;

/// <summary>Collects what is wrong with a request body, per field, into one 400 problem.</summary>
public sealed class InputErrors
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public const int MaxNameLength = 200;
    public const int MaxTextLength = 4000;

    public InputErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    public InputErrors Required(string field, object? value)
    {
        if (value is null || value is string s && string.IsNullOrWhiteSpace(s)) Add(field, "is required.");
        return this;
    }

    public InputErrors Text(string field, string? value, int maxLength, bool required = false)
    {
        if (required) Required(field, value);
        if (value is null) return this;
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) Add(field, "must not contain control characters.");
        return this;
    }

    public ProblemDetails ToProblem() => _errors.Count == 0
        ? WolverineContinue.NoProblems
        : new ValidationProblemDetails(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = "One or more fields are missing or invalid; see errors.",
        };

    public static ProblemDetails MissingBody() => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid",
        Detail = "A JSON body is required.",
    };
}
