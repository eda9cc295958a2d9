using System.Text.RegularExpressions;

namespace Courses.Api.Tests.Connecting;

/// <summary>
/// The rule codes each domain decision can refuse with, read from the domain's source: a decision's own
/// <c>RuleCodes.X</c>, and those of every rule it calls (Rules.FutureTime, SessionRules.…), followed through the
/// calls. Not-found is a 404, never a 422, so it is left out. A route's decision is the one its slice's Decide calls.
/// </summary>
internal sealed partial class DecisionCodes
{
    private readonly Dictionary<string, string> _members = new(StringComparer.Ordinal);
    private readonly string _root;

    private DecisionCodes(string root) => _root = root;

    public static DecisionCodes FromSource()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Courses.slnx"))) directory = directory.Parent;
        var codes = new DecisionCodes(directory?.FullName ?? throw new InvalidOperationException("Courses.slnx not found."));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(codes._root, "src", "Courses.Domain"), "*.cs", SearchOption.AllDirectories))
            codes.Read(File.ReadAllLines(file));
        return codes;
    }

    /// <summary>Splits a file into its static members, as "Class.Method" → text.</summary>
    private void Read(IEnumerable<string> lines)
    {
        string? type = null, member = null;
        foreach (var line in lines)
        {
            if (TypeLine().Match(line) is { Success: true } t) { type = t.Groups[1].Value; member = null; continue; }
            if (type is not null && MemberLine().Match(line) is { Success: true } m)
            {
                member = $"{type}.{m.Groups[1].Value}";
                _members.TryAdd(member, "");
            }
            if (member is not null) _members[member] += line + "\n";
        }
    }

    public ISet<string> ForRoute(string path, string method)
    {
        var verb = method == "PUT" ? "Put" : "Post";
        var slice = Directory.EnumerateFiles(Path.Combine(_root, "src", "Courses.Api"), "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText).Single(text => text.Contains($"[Wolverine{verb}(\"{path}\")]", StringComparison.Ordinal));
        var decision = DecideCall().Match(slice);
        return decision.Success ? Reach($"{decision.Groups[1].Value}.Decide", []) : new HashSet<string>();
    }

    private HashSet<string> Reach(string member, HashSet<string> seen)
    {
        var codes = new HashSet<string>();
        if (!seen.Add(member) || !_members.TryGetValue(member, out var text)) return codes;
        foreach (Match code in RuleCode().Matches(text))
            if (code.Groups[1].Value != nameof(Domain.RuleCodes.NotFound))
                codes.Add((string)typeof(Domain.RuleCodes).GetField(code.Groups[1].Value)!.GetRawConstantValue()!);
        foreach (Match call in QualifiedCall().Matches(text)) codes.UnionWith(Reach($"{call.Groups[1].Value}.{call.Groups[2].Value}", seen));
        var type = member.Split('.')[0];
        foreach (Match call in LocalCall().Matches(text)) codes.UnionWith(Reach($"{type}.{call.Groups[1].Value}", seen));
        return codes;
    }

    [GeneratedRegex(@"^(?:public |internal )?(?:static |sealed |abstract )*(?:partial )?(?:class|record|struct) (\w+)")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^    (?:public|private|internal) static [^=(]*?(\w+)(?:<[^>]*>)?\(")]
    private static partial Regex MemberLine();

    [GeneratedRegex(@"Verdicts\.Of\((\w+Decision)\.Decide")]
    private static partial Regex DecideCall();

    [GeneratedRegex(@"RuleCodes\.(\w+)")]
    private static partial Regex RuleCode();

    [GeneratedRegex(@"\b([A-Z]\w+)\.([A-Z]\w+)\(")]
    private static partial Regex QualifiedCall();

    [GeneratedRegex(@"(?<![.\w])([A-Z]\w+)\(")]
    private static partial Regex LocalCall();
}
