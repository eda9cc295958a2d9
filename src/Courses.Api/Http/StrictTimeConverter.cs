using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courses.Api.Http;

/// <summary>Business times must say their offset: "2026-03-01T10:00:00" alone could be any clinic's local time.</summary>
public sealed class StrictTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>What a 400 says of a time that is not one, or has no offset.</summary>
    public const string Expected = "must be a time with an offset, such as 2026-03-01T10:00:00+00:00.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !HasOffset(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            // No message of our own: the reader then adds the member's path, which the 400 names (Hosting/ErrorAnswers).
            throw new JsonException();
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T');
        if (t < 0) return false;
        var time = text.AsSpan(t + 1);
        return time.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || time.IndexOfAny('+', '-') >= 0;
    }
}
