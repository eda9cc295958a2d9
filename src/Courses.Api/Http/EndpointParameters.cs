namespace Courses.Api.Http;

public static class EndpointParameters
{
    /// <summary>Whether some method of the endpoint takes a <typeparamref name="T"/>: then a middleware loads one for it.</summary>
    public static bool AsksFor<T>(Type endpoint) =>
        endpoint.GetMethods().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(T)));
}
