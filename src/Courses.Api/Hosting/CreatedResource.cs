using System.Reflection;
using Wolverine.Http;

namespace Courses.Api.Hosting;

/// <summary>A 201 answer: Location of the new resource, the record's new version as ETag, and the id as the body.</summary>
public abstract record CreatedResource : IHttpAware
{
    // Methods, not properties: they belong in headers, never in the body.
    protected abstract string Location();
    protected abstract long Version();

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.RemoveStatusCodeResponse(200);
    }

    void IHttpAware.Apply(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = Location();
        context.Response.Headers.ETag = ETags.For(Version());
    }
}

public static class ETags
{
    public static string For(long version) => $"\"{version}\"";
}
