using System.Text;
using System.Text.Json.Nodes;

namespace Courses.Reliability.Tests.BadInput;

/// <summary>What a field holds, so the corpus knows which wrong values to try on it.</summary>
public enum Kind { Text, Name, Time, Date, Enum, EnumList, Depth, Count, Number, Id, Flag, Object, List }

/// <summary>A write route, a valid body for it, and what each top-level or nested field holds.</summary>
public sealed record WriteRoute(string Method, string Path, string Role, JsonObject Valid, (string Field, Kind Kind, bool Required)[] Fields,
    bool BodyOptional = false);

/// <summary>One request of the corpus: its category, and the bytes and content type sent.</summary>
public sealed record BadRequest(string Category, WriteRoute Route, byte[] Body, string ContentType = "application/json", string? PathOverride = null)
{
    public override string ToString() => $"{Category} {Route.Method} {PathOverride ?? Route.Path}: {Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 200)])}";
}

/// <summary>Generates the bad-input corpus: every category over every write route, the same for a given seed.</summary>
public static class Corpus
{
    public const long BodyLimit = Courses.Api.Hosting.Limits.MaxRequestBodyBytes;

    private static readonly string[] Injections =
    [
        "'; drop table clients; --", "\" or \"1\"=\"1", "1; select pg_sleep(10)", "{\"$ne\":null}",
        "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "%00", "face' --",
    ];

    private static readonly string[] FarTimes =
    [
        "0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "2126-01-01T00:00:00Z", "2026-02-30T10:00:00Z",
        "2026-01-01T10:00:00", "2026-13-01T00:00:00Z", "yesterday", "", "1e10",
    ];

    private static readonly string[] BadDates = ["0001-01-01", "1800-01-01", "3000-01-01", "2026-02-30", "01/04/1990", "1990-4-1", ""];

    private static readonly JsonNode?[] BadDepths = [-1, 0, -0.5m, 11, 1000, 5.0m, 0.0001m];

    /// <summary>Literal JSON for numbers no decimal holds: NaN and infinities as tokens and strings, overflow.</summary>
    private static readonly string[] RawNumbers = ["NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "1e400", "-1e400", "99999999999999999999999999999999"];

    public static IEnumerable<BadRequest> Generate(IReadOnlyList<WriteRoute> routes, int seed, int truncations)
    {
        var random = new Random(seed);
        foreach (var route in routes)
        {
            var valid = route.Valid.ToJsonString();
            foreach (var body in Malformed(valid).Where(b => !route.BodyOptional || b is not ("" or "null")))
                yield return new("malformed JSON", route, Utf8(body));
            for (var i = 0; i < truncations; i++)
                yield return new("truncated JSON", route, Utf8(valid[..random.Next(1, valid.Length - 1)]));

            foreach (var (field, kind, required) in route.Fields)
            {
                foreach (var wrong in WrongTypes(kind)) yield return new("wrong type", route, With(route, field, wrong));
                if (required)
                {
                    yield return new("missing field", route, Without(route, field));
                    yield return new("missing field", route, With(route, field, null));
                }
                foreach (var value in kind switch
                         {
                             Kind.Enum => Injections.Take(3).Concat(["notAThing", "", "0", "Face Lift"]).Select(v => (JsonNode?)v),
                             Kind.EnumList => new JsonNode?[] { new JsonArray("notAThing"), new JsonArray(""), new JsonArray((JsonNode?)null) },
                             _ => [],
                         })
                    yield return new("unknown enum value", route, With(route, field, value));
                if (kind == Kind.Number)
                    foreach (var raw in RawNumbers)
                        yield return new("NaN, infinite, negative or huge number", route, Utf8(Replace(route, field, raw)));
                if (kind is Kind.Depth or Kind.Count)
                {
                    foreach (var depth in kind == Kind.Depth ? BadDepths : [-1, 0, 11, 1000])
                        yield return new("NaN, infinite, negative or huge number", route, With(route, field, depth?.DeepClone()));
                    foreach (var raw in RawNumbers)
                        yield return new("NaN, infinite, negative or huge number", route, Utf8(Replace(route, field, raw)));
                }
                if (kind == Kind.Time)
                    foreach (var time in FarTimes) yield return new("date far past, far future or malformed", route, With(route, field, time));
                if (kind == Kind.Date)
                    foreach (var date in BadDates) yield return new("date far past, far future or malformed", route, With(route, field, date));
                if (kind is Kind.Text or Kind.Name)
                {
                    var limit = kind == Kind.Name ? 200 : 4000;
                    yield return new("very long string", route, With(route, field, new string('x', limit + 1)));
                    yield return new("very long string", route, With(route, field, new string('é', (int)(BodyLimit / 3))));
                    foreach (var control in new[] { "\u0000", "a\u0007b", "\u001b[31mred", "x\u0008y", "\u007f" })
                        yield return new("control characters", route, With(route, field, control));
                    yield return new("invalid UTF-8", route, InvalidUtf8(Replace(route, field, "\"INVALID\"")));
                    yield return new("JSON injection", route, Utf8(Replace(route, field, "\"x\",\"injected\":\"y\"")));
                    yield return new("JSON injection", route, Utf8(Replace(route, field, "\"x\"}, {\"again\":1")));
                }
                if (kind is Kind.Enum or Kind.Time or Kind.Date or Kind.Id or Kind.Depth)
                    foreach (var injection in Injections) yield return new("SQL and JSON injection", route, With(route, field, injection));
            }

            yield return new("extra field", route, With(route, "unexpected", "value"));
            yield return new("extra field", route, With(route, "isAdmin", true));
            yield return new("extra field", route, With(route, "clinic", "rel-clinic-b"));
            var first = route.Fields[0].Field.Split('.')[0];
            yield return new("duplicate keys", route, Utf8(valid.Insert(1, $"\"{first}\":{route.Valid[first]!.ToJsonString()},")));
            yield return new("duplicate keys", route, Utf8(valid.Insert(1, $"\"{first}\":null,")));
            foreach (var injection in Injections.Take(4))
                yield return new("SQL injection in the route", route, Utf8(valid), PathOverride: InjectedPath(route.Path, injection));
            yield return new("body over the size limit (413)", route, With(route, route.Fields[0].Field, new string('a', (int)BodyLimit + 1)));
            yield return new("body over the size limit (413)", route, new byte[BodyLimit * 2]);
            foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
                yield return new("wrong content type (415)", route, Utf8(valid), type);
        }
    }

    /// <summary>The first id of the path replaced by the injection, or the injection appended when the path has none.</summary>
    private static string InjectedPath(string path, string injection)
    {
        var id = System.Text.RegularExpressions.Regex.Match(path, "[0-9a-f]{8}-[0-9a-f-]{27}");
        return id.Success ? path.Replace(id.Value, Uri.EscapeDataString(injection), StringComparison.Ordinal) : path + "/" + Uri.EscapeDataString(injection);
    }

    private static IEnumerable<string> Malformed(string valid) =>
    [
        "", "{", "}", "[]", "null", "42", "\"text\"", "{'single':'quotes'}", valid + ",", valid + "}", "{,}", valid.Replace(":", "=", StringComparison.Ordinal),
        valid.Replace("\"", "", StringComparison.Ordinal), valid[..^1] + ",}", "{/* comment */" + valid[1..], "\uFEFF\uFEFF" + valid,
    ];

    private static IEnumerable<JsonNode?> WrongTypes(Kind kind) => kind switch
    {
        Kind.Text or Kind.Name or Kind.Enum or Kind.Time or Kind.Date or Kind.Id => [12, true, new JsonArray("a"), new JsonObject { ["a"] = 1 }],
        Kind.Depth or Kind.Count or Kind.Number => ["deep", true, new JsonArray(1), new JsonObject()],
        Kind.Flag => ["yes", 1, new JsonArray(true)],
        Kind.EnumList or Kind.List => ["fineLines", 3, new JsonObject()],
        Kind.Object => ["text", 1, new JsonArray()],
        _ => [],
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] With(WriteRoute route, string path, JsonNode? value)
    {
        var body = route.Valid.DeepClone().AsObject();
        var (parent, name) = Locate(body, path);
        parent[name] = value;
        return Utf8(body.ToJsonString());
    }

    private static byte[] Without(WriteRoute route, string path)
    {
        var body = route.Valid.DeepClone().AsObject();
        var (parent, name) = Locate(body, path);
        parent.Remove(name);
        return Utf8(body.ToJsonString());
    }

    /// <summary>The body with one field's value replaced by literal JSON text (which may not be valid JSON at all).</summary>
    private static string Replace(WriteRoute route, string path, string raw)
    {
        const string marker = "\"__corpus_marker__\"";
        var body = route.Valid.DeepClone().AsObject();
        var (parent, name) = Locate(body, path);
        parent[name] = "__corpus_marker__";
        return body.ToJsonString().Replace(marker, raw, StringComparison.Ordinal);
    }

    private static byte[] InvalidUtf8(string body)
    {
        var bytes = Utf8(body);
        var at = body.IndexOf("INVALID", StringComparison.Ordinal);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        bytes[at + 2] = 0xFF;
        return bytes;
    }

    /// <summary>"areas[0].depthMm" → the object holding depthMm and its name.</summary>
    private static (JsonObject Parent, string Name) Locate(JsonObject body, string path)
    {
        JsonNode node = body;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }
        return (node.AsObject(), parts[^1]);
    }
}
