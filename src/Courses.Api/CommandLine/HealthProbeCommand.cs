using JasperFx.CommandLine;

namespace Courses.Api.CommandLine;

public sealed class HealthProbeInput;

/// <summary>The container health check, for runtime images that ship no curl or wget.</summary>
[Description("Exits 0 when this container's own /health/live answers 200", Name = "health-probe")]
public sealed class HealthProbeCommand(IConfiguration configuration) : JasperFxAsyncCommand<HealthProbeInput>
{
    public const string Path = "/health/live";

    public override async Task<bool> Execute(HealthProbeInput input)
    {
        var port = (configuration["ASPNETCORE_HTTP_PORTS"] ?? configuration["HTTP_PORTS"] ?? "8080")
            .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var answer = await http.GetAsync($"http://127.0.0.1:{port}{Path}");
            if (answer.IsSuccessStatusCode) return true;
            await Console.Error.WriteLineAsync($"{Path} answered {(int)answer.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{Path} did not answer: {e.Message}");
        }
        return false;
    }
}
