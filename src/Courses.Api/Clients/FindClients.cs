using Courses.Domain.Clients;
using Courses.Projections.Clients;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Courses.Api.Clients;

/// <summary>A client as the front desk sees them in a list: enough to tell two Ann Lees apart and to see what is running.</summary>
public sealed record ClientFound(Guid ClientId, string FullName, DateOnly DateOfBirth, string? Email, string? Phone, int ActiveCourses,
    DateOnly? NextSessionDueOn);

/// <summary>One page of what a search found, best match first; as with every list, no total, only whether more follow.</summary>
public sealed record ClientsFound(IReadOnlyList<ClientFound> Items, int Page, int PageSize, bool HasMore);

public static class FindClientsEndpoint
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Clients by part of a name (typos forgiven), phone, email or date of birth; erased clients are never found.</summary>
    [WolverineGet("/api/clients")]
    [ProducesResponseType<ClientsFound>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.FrontDesk)]
    public static async Task<IResult> Get(string? q, string? page, string? pageSize, IQuerySession session, CancellationToken cancellation)
    {
        var input = new InputErrors();
        var text = input.RequiredText("q", q, ClientQuery.MaxLength);
        if (!input.HasErrors && text.Length < ClientQuery.MinLength)
            input.Add("q", $"must be {ClientQuery.MinLength} to {ClientQuery.MaxLength} characters.");
        var (pageNumber, size) = input.Paging(page, pageSize, DefaultPageSize, MaxPageSize);
        var query = input.HasErrors ? null : ClientQuery.Read(text);
        if (query is ClientQuery.ByName { Words.Count: 0 }) input.Add("q", "must hold a name, a phone number, an email or a date of birth.");
        if (input.HasErrors || query is null) return Results.Problem(input.ToProblem());

        var found = await Search(session, query, size + 1, (pageNumber - 1) * size, cancellation);
        return Results.Ok(new ClientsFound(found.Take(size).ToArray(), pageNumber, size, found.Count > size));
    }

    /// <summary>
    /// One round trip: the similarity threshold, set for this transaction only, then one statement that cuts the page from
    /// the index and joins only its rows to their profiles. A name is found when each word typed is like some word of it
    /// (each its own trigram condition, so the index intersects them); ranked by how alike those words are, then by how
    /// alike the whole names are.
    /// </summary>
    private static async Task<List<ClientFound>> Search(IQuerySession session, ClientQuery query, int limit, int offset,
        CancellationToken cancellation)
    {
        var options = session.DocumentStore.Options;
        var schema = options.DatabaseSchemaName;
        var name = query as ClientQuery.ByName;
        var words = name?.Words ?? [];
        var (match, score, value) = query switch
        {
            ClientQuery.ByName n => (string.Join(" and ", words.Select((word, i) => IsShort(word)
                    ? $"(e.name like k.w{i} || '%' or e.name like '% ' || k.w{i} || '%')" : $"k.w{i} <% e.name")),
                string.Join(" + ", words.Select((_, i) => $"word_similarity(k.w{i}, e.name)")) + " + similarity(e.name, k.q) / 100",
                (object)n.Text),
            ClientQuery.ByPhone p => ("e.phone_digits = $4", "1", p.Digits),
            ClientQuery.ByEmail m => ("e.email = $4", "1", m.Address),
            ClientQuery.ByDateOfBirth d => ("e.date_of_birth = $4", "1", d.Date),
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        };
        var folded = string.Concat(words.Select((_, i) => $", {ClientSearch.Fold(schema, $"${5 + i}::text")} as w{i}"));
        var entries = options.FindOrResolveDocumentType(typeof(ClientSearchEntry)).TableName.QualifiedName;
        var profiles = options.FindOrResolveDocumentType(typeof(ClientProfile)).TableName.QualifiedName;
        var sql = $"""
            select s.id, p.data ->> 'fullName', (p.data ->> 'dateOfBirth')::date, p.data ->> 'email', p.data ->> 'phone',
                   coalesce(jsonb_array_length(p.data -> 'activeCourses'), 0),
                   (select min((c ->> 'nextSessionDueOn')::date) from jsonb_array_elements(p.data -> 'activeCourses') c)
            from (select e.id, e.tenant_id, e.name, {score} as score
                  from (select x.id, x.tenant_id, x.phone_digits, x.email, x.date_of_birth, {ClientSearch.FoldedName("x")} as name
                        from {entries} x where x.tenant_id = $1) e
                  cross join (select {ClientSearch.Fold(schema, "$4::text")} as q{folded}) k
                  where {match}
                  order by score desc, e.name, e.id
                  limit $2 offset $3) s
            join {profiles} p on p.tenant_id = s.tenant_id and p.id = s.id
            order by s.score desc, s.name, s.id
            """;

        await using var connection = await ClinicSql.OpenAsync(session, cancellation);
        // A plan for the values given: a generic plan would fold the words typed (unaccent, lower) again for every candidate
        // row, a third of a broad search's time; this transaction only.
        var threshold = new NpgsqlBatchCommand(
            "select set_config('pg_trgm.word_similarity_threshold', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true)")
        {
            Parameters = { new NpgsqlParameter { Value = ClientQuery.ByName.Threshold.ToString(CultureInfo.InvariantCulture) } },
        };
        var search = new NpgsqlBatchCommand(sql);
        search.Parameters.Add(new NpgsqlParameter { Value = session.TenantId, NpgsqlDbType = NpgsqlDbType.Varchar });
        search.Parameters.Add(new NpgsqlParameter { Value = limit });
        search.Parameters.Add(new NpgsqlParameter { Value = offset });
        search.Parameters.Add(new NpgsqlParameter { Value = value });
        foreach (var word in words) search.Parameters.Add(new NpgsqlParameter { Value = IsShort(word) ? LikeLiteral(word) : word });

        var found = new List<ClientFound>();
        await using var reader = await ClinicSql.ReadAsync(connection, cancellation, threshold, search);
        await reader.NextResultAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            found.Add(new ClientFound(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6)));
        return found;
    }

    /// <summary>
    /// A word of one or two letters is matched as the start of a word of the name ("Jo": John, Jones; not James, not Ojo).
    /// Its trigram likeness says nothing more than "shares the first letter", and ranking everyone who does (one client in
    /// six for "Jo" at 100 000 clients) was the slowest search of all.
    /// </summary>
    private static bool IsShort(string word) => word.Length < 3;

    private static string LikeLiteral(string word) => word.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
