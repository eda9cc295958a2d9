using System.Diagnostics;

namespace Courses.Bench;

/// <summary>One client with N events (registration + alternating e-mail changes), then its record replayed and its chain verified.</summary>
public static class AuditReplay
{
    public static async Task<Replay> RunAsync(Api api, Tokens tokens, int events, Action<string> fail)
    {
        var registered = await api.Post(tokens.Reception, "/api/clients", new { fullName = "Replay Client", dateOfBirth = "1975-02-03" });
        if (!registered.Ok) { fail(registered.Failure!); return new Replay(0, double.NaN, double.NaN, double.NaN, "not run"); }
        var client = registered.Json.GetProperty("clientId").GetGuid();
        for (var i = 1; i < events; i++)
        {
            var changed = await api.Post(tokens.Reception, $"/api/clients/{client}/contact-details",
                new { email = i % 2 == 0 ? "replay.even@example.com" : "replay.odd@example.com", phone = (string?)null });
            if (!changed.Ok) { fail(changed.Failure!); return new Replay(i, double.NaN, double.NaN, double.NaN, "not run"); }
        }

        // One warm-up of each (first use of the route's code and plans), then the median of five.
        async Task<(double Ms, string Body)> Median(string path)
        {
            var times = new List<double>();
            var body = "";
            for (var i = 0; i < 6; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var answer = await api.Get(tokens.Auditor, path);
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!answer.Ok) { fail(answer.Failure!); return (double.NaN, ""); }
                body = answer.Json.ToString();
                if (i > 0) times.Add(ms);
            }
            return (times.Order().ElementAt(times.Count / 2), body);
        }

        var record = await Median($"/api/clients/{client}/record");
        var verify = await Median($"/api/clients/{client}/history/verify");
        return new Replay(events, record.Ms, verify.Ms, record.Ms + verify.Ms, verify.Body);
    }
}
