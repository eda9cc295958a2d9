namespace Courses.Api.Hosting;

/// <summary>
/// <c>health-probe</c>: exits 0 when this container's own <c>/health/live</c> answers 200. The container health
/// check, for runtime images that ship no curl or wget.
/// </summary>
public static class HealthProbe
{
    public const string Path = "/health/live";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == "health-probe";

    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter error)
    {
        var port = (configuration["ASPNETCORE_HTTP_PORTS"] ?? configuration["HTTP_PORTS"] ?? "8080")
            .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var answer = await http.GetAsync($"http://127.0.0.1:{port}{Path}");
            if (answer.IsSuccessStatusCode) return 0;
            await error.WriteLineAsync($"{Path} answered {(int)answer.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"{Path} did not answer: {e.Message}");
        }
        return 1;
    }
}
