using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courses.Domain.Tests.Support;

/// <summary>
/// Record equality compares immutable collections by reference, so state and events are compared as canonical JSON
/// (event type names included).
/// </summary>
public static class Canonical
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Json(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static string Events(IEnumerable<object> events) =>
        string.Join("\n", events.Select(e => $"{e.GetType().Name} {Json(e)}"));

    public static void EventsEqual(IEnumerable<object> expected, Decision decision)
    {
        Assert.True(decision.IsAccepted, $"Expected acceptance, got {decision.Violation}");
        Assert.Equal(Events(expected), Events(decision.Events));
    }

    public static void Refused(string code, Decision decision)
    {
        Assert.False(decision.IsAccepted, $"Expected {code}, got acceptance with {Events(decision.Events)}");
        Assert.Equal(code, decision.Violation!.Code);
        Assert.Empty(decision.Events);
        Assert.False(string.IsNullOrWhiteSpace(decision.Violation.Detail));
    }

    public static void Accepted(Decision decision) =>
        Assert.True(decision.IsAccepted, $"Expected acceptance, got {decision.Violation}");
}
