using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courses.Api.Hosting;

/// <summary>The API's JSON: camelCase, enumerations as camelCase strings, times with an offset, nothing unknown or repeated.</summary>
public static class Json
{
    public static IServiceCollection AddCoursesJson(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            json.SerializerOptions.Converters.Add(new StrictTimeConverter());
            // A misspelt or unknown field, or one given twice, is refused (400) rather than silently ignored or overwritten.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        return services;
    }
}
