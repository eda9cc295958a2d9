using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Wolverine.Http.Resources;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Courses.Api.Http;

/// <summary>
/// The answer to an accepted write: its status, the record's new version as ETag, and (for creations) a Location.
/// Wolverine applies it before the transaction commits, so the same answer is kept with an Idempotency-Key.
/// </summary>
public abstract record WriteAnswer : IHttpAware
{
    // Methods, not properties: they belong in headers, never in the body.
    protected abstract long Version();
    protected virtual string? Location() => null;

    /// <summary>
    /// The OpenAPI answer of an endpoint returning a write answer: 201 when the answer names a Location (it creates
    /// something addressable), else 200; the headers are described in the OpenAPI document (OpenApi/ApiDocument.cs).
    /// </summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        var returned = method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : method.ReturnType;
        var answer = returned.IsAssignableTo(typeof(WriteAnswer))
            ? returned
            : returned.GetGenericArguments().First(type => type.IsAssignableTo(typeof(WriteAnswer)));
        var location = answer.GetMethod(nameof(Location), BindingFlags.Instance | BindingFlags.NonPublic)!;
        var status = location.DeclaringType == typeof(WriteAnswer) ? StatusCodes.Status200OK : StatusCodes.Status201Created;
        builder.Metadata.Add(new WolverineProducesResponseTypeMetadata { Type = answer, StatusCode = status });
    }

    void IHttpAware.Apply(HttpContext context)
    {
        var location = Location();
        var status = location is null ? StatusCodes.Status200OK : StatusCodes.Status201Created;
        var etag = ETags.For(Version());
        context.Response.StatusCode = status;
        context.Response.Headers.ETag = etag;
        if (location is not null) context.Response.Headers.Location = location;

        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Features.Set(new AcceptedWrite(status, location, etag, JsonSerializer.Serialize(this, GetType(), json)));
    }
}

/// <summary>An accepted write's answer, as sent; the idempotency record keeps a copy of it.</summary>
public sealed record AcceptedWrite(int Status, string? Location, string ETag, string Body);

public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>Reads <c>"7"</c>, <c>W/"7"</c> or <c>7</c>; null for a header that is not a version.</summary>
    public static long? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"');
        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version >= 0
            ? version
            : null;
    }
}

/// <summary>The answer to a write that creates nothing addressable: the record and its new version.</summary>
public sealed record RecordedAnswer(Guid ClientId, [property: System.Text.Json.Serialization.JsonPropertyName("version")] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;

    public static RecordedAnswer For(TreatmentRecord record, Decision decision) => new(record.Id, record.Version + decision.Events.Count);
}
