using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Courses.Reliability.Tests.Harness;

/// <summary>What the service answered: status, headers and the body as text.</summary>
public sealed record Answer(int Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, string Body)
{
    public string? ContentType => ContentHeaders?.ContentType?.MediaType;
    public bool IsProblem => ContentType == "application/problem+json";
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : ContentHeaders is not null && ContentHeaders.TryGetValues(name, out var content) ? string.Join(",", content) : null;
}

/// <summary>The API over HTTP, in-process or a real process alike: every check speaks to it the same way.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public Task<Answer> Get(string? token, string path) => Send(HttpMethod.Get, path, token);

    public Task<Answer> Post(string? token, string path, object body, string? idempotencyKey = null) =>
        Send(HttpMethod.Post, path, token, JsonSerializer.Serialize(body), idempotencyKey: idempotencyKey);

    public async Task<Answer> Send(HttpMethod method, string path, string? token, string? body = null,
        string contentType = "application/json", string? idempotencyKey = null, byte[]? rawBody = null,
        CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        if (rawBody is not null || body is not null)
        {
            request.Content = new ByteArrayContent(rawBody ?? Encoding.UTF8.GetBytes(body!));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await Http.SendAsync(request, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        return new Answer((int)response.StatusCode, response.Headers, response.Content.Headers, text);
    }
}
