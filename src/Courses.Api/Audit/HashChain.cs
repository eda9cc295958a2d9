using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courses.Domain.Clients;
using Courses.Projections.Records;
using JasperFx.Events;

namespace Courses.Api.Audit;

/// <summary>
/// Tamper evidence: each event of a stream carries (header <c>hash</c>) the SHA-256 of the previous event's hash,
/// its version, type, business time, who recorded it and its data. The data is hashed in a canonical form (members
/// sorted, one escaping) so the JSON PostgreSQL hands back verifies like the JSON that was written, and without the
/// contact fields, so erasing a name, email or phone leaves the chain verifiable.
/// </summary>
public static class HashChain
{
    public const string Header = ChainHeads.Header;

    public static string Link(string previous, long version, string type, DateTimeOffset? businessTime, string? recordedBy, string json)
    {
        var text = string.Join('\n', previous, version, type, businessTime?.ToString("O") ?? "", recordedBy ?? "", Canonical(json));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Canonical(string json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Writing))
            Write(writer, JsonNode.Parse(json), topLevel: true);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, bool topLevel)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (topLevel && ContactData.Members.Contains(key)) continue;
                    writer.WritePropertyName(key);
                    Write(writer, value, topLevel: false);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item, topLevel: false);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}

/// <summary>
/// Writes the <see cref="HashChain"/> header on every event a session appends, before it commits. The previous link
/// comes from the request's <see cref="ChainHeads"/> when its command folded the stream up to it, else from the store.
/// </summary>
public sealed class HashChainListener(IHttpContextAccessor http) : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        var events = session.DocumentStore.Options.Events.DatabaseSchemaName;
        foreach (var stream in session.PendingChanges.Streams().Where(s => s.Events.Count > 0))
        {
            var version = stream.ActionType == StreamActionType.Start ? 0 : stream.ExpectedVersionOnServer
                ?? (await session.AdvancedSql.QueryAsync<long>(
                    $"select coalesce(max(version), 0) from {events}.mt_events where stream_id = ? and tenant_id = ?",
                    token, stream.Id, session.TenantId)).Single();
            var previous = version == 0 ? ""
                : http.HttpContext?.Features.Get<ChainHeads>() is { } heads && heads.TryGet(session.TenantId, stream.Id, version, out var head) ? head
                : (await session.AdvancedSql.QueryAsync<string>(
                $"select coalesce(headers ->> '{HashChain.Header}', '') from {events}.mt_events where stream_id = ? and tenant_id = ? and version = ?",
                token, stream.Id, session.TenantId, version)).SingleOrDefault() ?? "";

            foreach (var e in stream.Events)
            {
                version++;
                previous = HashChain.Link(previous, version, e.EventType.Name, BusinessTime.Of(e.Data),
                    e.UserName ?? session.LastModifiedBy, serializer.ToJson(e.Data));
                e.SetHeader(HashChain.Header, previous);
            }
        }
    }
}
