using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Courses.Deploy.Tests;

/// <summary>The checkout's files, and YAML read into plain dictionaries, lists and strings.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Courses.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Courses.slnx not found above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Path("deploy"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order();

    /// <summary>Every document of a YAML file; throws on anything YamlDotNet cannot parse.</summary>
    public static IReadOnlyList<object?> Yaml(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path))) stream.Load(reader);
        return stream.Documents.Select(d => Plain(d.RootNode)).ToArray();
    }

    public static Dictionary<string, object?> YamlDocument(params string[] parts) =>
        Map(Yaml(Path(parts)).Single());

    private static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode map => Merged(map),
        YamlSequenceNode list => list.Children.Select(Plain).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}"),
    };

    /// <summary>A mapping, with YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied: its own keys win.</summary>
    private static Dictionary<string, object?> Merged(YamlMappingNode map)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in map.Children)
            if (((YamlScalarNode)key).Value != "<<") result[((YamlScalarNode)key).Value!] = Plain(value);
        foreach (var (key, value) in map.Children.Where(c => ((YamlScalarNode)c.Key).Value == "<<"))
            foreach (var (k, v) in Map(Plain(value)))
                result.TryAdd(k, v);
        return result;
    }

    public static Dictionary<string, object?> Map(object? value) =>
        value as Dictionary<string, object?> ?? throw new InvalidOperationException($"Expected a mapping, got {value}");

    public static List<object?> List(object? value) =>
        value as List<object?> ?? throw new InvalidOperationException($"Expected a sequence, got {value}");

    /// <summary>Follows a path of keys (and list indexes) through plain YAML.</summary>
    public static object? At(object? node, params object[] path)
    {
        foreach (var step in path)
            node = step switch
            {
                string key => Map(node).TryGetValue(key, out var next) ? next : throw new KeyNotFoundException($"No '{key}' in {string.Join(", ", Map(node).Keys)}"),
                int index => List(node)[index],
                _ => throw new ArgumentException(step.ToString()),
            };
        return node;
    }

    public static string Str(object? node, params object[] path) =>
        At(node, path) as string ?? throw new InvalidOperationException($"Expected a string at {string.Join('.', path)}");

    public static JsonDocument Json(params string[] parts) => JsonDocument.Parse(Read(parts));

    /// <summary>The env column of the README's configuration table.</summary>
    public static IReadOnlyList<(string Key, string Env)> ConfigurationTable()
    {
        var readme = Read("README.md");
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        return Regex.Matches(readme[start..end], @"^\| `([^`]+)` \| `?([^`|]+?)`? \|", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim() == "same" ? m.Groups[1].Value : m.Groups[2].Value.Trim()))
            .ToArray();
    }
}
