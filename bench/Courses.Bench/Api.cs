using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Courses.Bench;

/// <summary>One call's outcome: its status, its JSON answer (when 2xx), how long it took and the body of a failure.</summary>
public readonly record struct Answer(int Status, JsonElement Json, double Ms, string? Failure)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>The API over loopback HTTP/1.1, with keep-alive connections shared by every worker.</summary>
public sealed class Api(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024,
        PooledConnectionLifetime = TimeSpan.FromMinutes(30),
    })
    { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };

    public Task<Answer> Post(string token, string path, object body) =>
        Send(new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = JsonContent.Create(body) }, token);

    public Task<Answer> Get(string token, string path) =>
        Send(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), token);

    private async Task<Answer> Send(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var json = bytes.Length == 0 ? default : JsonDocument.Parse(bytes).RootElement.Clone();
                return new Answer(status, json, ms, null);
            }
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            return new Answer(status, default, ms, $"{status} {request.Method} {request.RequestUri}: {(text.Length > 400 ? text[..400] : text)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Answer(0, default, Stopwatch.GetElapsedTime(start).TotalMilliseconds, $"{request.Method} {request.RequestUri}: {e.Message}");
        }
        finally
        {
            request.Dispose();
        }
    }

    public void Dispose() => _http.Dispose();
}
