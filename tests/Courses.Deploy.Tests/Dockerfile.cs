using System.Text.Json;
using System.Text.RegularExpressions;

namespace Courses.Deploy.Tests;

/// <summary>The runtime stage of deploy/docker/Dockerfile: what a container of the image runs, and with what.</summary>
public sealed record Dockerfile(
    IReadOnlyList<string> Stages,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<int> Exposed,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> HealthCheck,
    string? User,
    string? WorkDir,
    IReadOnlyList<string> Copies)
{
    public static Dockerfile Load() => Parse(Repo.Read("deploy", "docker", "Dockerfile"));

    public static Dockerfile Parse(string text)
    {
        // Continuation lines joined, comments dropped.
        var instructions = Regex.Replace(text, @"\\\r?\n", " ")
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var op, var rest] ? (Op: op.ToUpperInvariant(), Args: rest.Trim()) : (Op: l.ToUpperInvariant(), Args: ""))
            .ToList();
        var stages = instructions.Where(i => i.Op == "FROM").Select(i => i.Args).ToList();
        // Only the last stage is the image.
        var last = instructions.FindLastIndex(i => i.Op == "FROM");
        var runtime = instructions.Skip(last).ToList();

        var env = new Dictionary<string, string>();
        foreach (var (_, args) in runtime.Where(i => i.Op == "ENV"))
            foreach (Match m in Regex.Matches(args, @"(\w+)=(""[^""]*""|\S+)"))
                env[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');

        return new Dockerfile(
            stages,
            env,
            runtime.Where(i => i.Op == "EXPOSE").SelectMany(i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            ExecForm(runtime.LastOrDefault(i => i.Op == "ENTRYPOINT").Args),
            ExecForm(runtime.LastOrDefault(i => i.Op == "CMD").Args),
            runtime.LastOrDefault(i => i.Op == "HEALTHCHECK").Args is { } health && health.Contains("CMD ", StringComparison.Ordinal)
                ? ExecForm(health[(health.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])
                : [],
            runtime.LastOrDefault(i => i.Op == "USER").Args,
            runtime.LastOrDefault(i => i.Op == "WORKDIR").Args,
            instructions.Where(i => i.Op == "COPY").Select(i => i.Args).ToList());
    }

    /// <summary>The JSON (exec) form only: a shell form would put /bin/sh between the runtime and its signals.</summary>
    private static IReadOnlyList<string> ExecForm(string? args) =>
        string.IsNullOrWhiteSpace(args)
            ? []
            : JsonSerializer.Deserialize<string[]>(args) ?? throw new InvalidOperationException($"Not exec form: {args}");
}
