using System.Text;
using System.Text.Json;

namespace Courses.Api.Tests.Harness;

/// <summary>
/// Read models compared whole, as the service would write them: records hold their lists by reference, so two equal
/// courses are compared through their JSON, and a failure lists every member that differs by its path.
/// </summary>
public static class ReadModel
{
    /// <summary>The service's own JSON options (camelCase, enums as camelCase strings), taken from the host under test.</summary>
    public static JsonSerializerOptions Json { get; internal set; } = null!;

    public static void Equal<T>(T expected, T actual)
    {
        var differences = new StringBuilder();
        Compare("$", JsonSerializer.SerializeToElement(expected, Json), JsonSerializer.SerializeToElement(actual, Json), differences);
        if (differences.Length > 0) Assert.Fail($"{typeof(T).Name} differs from what was expected:\n{differences}");
    }

    private static void Compare(string path, JsonElement expected, JsonElement actual, StringBuilder differences)
    {
        if (expected.ValueKind == JsonValueKind.Object && actual.ValueKind == JsonValueKind.Object)
        {
            var names = expected.EnumerateObject().Select(p => p.Name).Union(actual.EnumerateObject().Select(p => p.Name));
            foreach (var name in names)
            {
                var member = $"{path}.{name}";
                var inExpected = expected.TryGetProperty(name, out var want);
                var inActual = actual.TryGetProperty(name, out var got);
                if (inExpected && inActual) Compare(member, want, got, differences);
                else differences.AppendLine($"  {member}: expected {(inExpected ? want.GetRawText() : "no such member")}, got {(inActual ? got.GetRawText() : "no such member")}");
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && actual.ValueKind == JsonValueKind.Array)
        {
            var (want, got) = (expected.EnumerateArray().ToArray(), actual.EnumerateArray().ToArray());
            if (want.Length != got.Length)
                differences.AppendLine($"  {path}: expected {want.Length} item(s), got {got.Length}: {actual.GetRawText()}");
            else
                for (var i = 0; i < want.Length; i++) Compare($"{path}[{i}]", want[i], got[i], differences);
        }
        // A number is its value: 1.0 and 1.00 are the same rate.
        else if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number)
        {
            if (expected.GetDecimal() != actual.GetDecimal())
                differences.AppendLine($"  {path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
        }
        else if (expected.GetRawText() != actual.GetRawText())
            differences.AppendLine($"  {path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
    }
}
