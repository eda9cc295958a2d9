using System.Reflection;
using System.Text.Json.Nodes;
using Courses.Api.Writes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Courses.Api.OpenApi;

/// <summary>
/// Completes the OpenAPI document enough to drive a generated client: the bearer scheme on every /api operation, the
/// problem answers each route can give with their codes, version and address headers, tags by area, and examples for
/// the main commands. Deterministic (no servers, sorted), so a client generated from it can be compared in CI.
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = "ProblemDetails";
    public const string ProblemJson = "application/problem+json";

    /// <summary>Every <c>code</c> a 422 may carry: the rules' codes, and the reused idempotency key.</summary>
    public static IReadOnlyList<string> ProblemCodes { get; } = typeof(RuleCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.Name != nameof(RuleCodes.NotFound))
        .Select(field => (string)field.GetRawConstantValue()!)
        .Append(WriteSafety.IdempotencyKeyReused)
        .Concat(typeof(ApiDocument).Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => m.GetCustomAttribute<RefusesAttribute>()).OfType<RefusesAttribute>().SelectMany(r => r.Codes))
        .Distinct()
        .ToArray();

    public static IServiceCollection AddCoursesApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddOperationTransformer(async (operation, context, cancellation) =>
            {
                await PhotoDocument.DescribeUpload(operation, context, cancellation);
                Describe(operation, context);
                PhotoDocument.DescribeImage(operation, context);
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                Simplify(schema, context.JsonTypeInfo.Type);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                Complete(document);
                return Task.CompletedTask;
            });
        });

    private static void Simplify(OpenApiSchema schema, Type type)
    {
        // The service writes numbers as JSON numbers; that it also reads "3" as 3 is no reason for a client to send strings.
        if (schema.Type is { } kind && kind.HasFlag(JsonSchemaType.String) && schema.Pattern is not null &&
            (kind.HasFlag(JsonSchemaType.Integer) || kind.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = kind & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // A time or a date is a string in a fixed format; the JSON schema exporter leaves out the type when a converter reads it.
        // A nullable time with a default comes out with neither: named here by its CLR type.
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (schema.Type is null && schema.Format is null && (plain == typeof(DateTimeOffset) || plain == typeof(DateTime) || plain == typeof(DateOnly)))
            schema.Format = plain == typeof(DateOnly) ? "date" : "date-time";
        if (schema.Format is "date-time" or "date" && schema.Type is null)
            schema.Type = Nullable.GetUnderlyingType(type) is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;

        ApiContract.Complete(schema, type);
    }

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var path = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
        if (!path.StartsWith("/api/", StringComparison.Ordinal)) return;
        var method = context.Description.HttpMethod ?? "GET";
        var document = context.Document!;
        var isWrite = method is "POST" or "PUT";

        // Wolverine tags each operation with its endpoint class; the slice's area reads better, the class names the operation.
        var endpoint = operation.Tags?.FirstOrDefault()?.Name ?? "";
        var endpointType = typeof(ApiDocument).Assembly.GetType(endpoint);
        var parts = endpoint.Split('.');
        if (parts.Length >= 2)
        {
            var action = parts[^1].EndsWith("Endpoint", StringComparison.Ordinal) ? parts[^1][..^"Endpoint".Length] : parts[^1];
            operation.OperationId = char.ToLowerInvariant(action[0]) + action[1..];
            operation.Summary = Words(action);
            operation.Tags = new HashSet<OpenApiTagReference> { new(parts[^2], document) };
        }

        var roles = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(data => data.Policy).OfType<string>()
            .SelectMany(policy => Policies.RolesFor.GetValueOrDefault(policy) ?? [])
            .Distinct().ToArray();
        operation.Description = roles.Length == 0 ? "Any role of the clinic." : $"Roles: {string.Join(", ", roles)}.";
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];

        operation.Responses ??= new OpenApiResponses();
        // An endpoint that answers IResult gets a placeholder 200 beside the status it declares: only the declared one.
        if (operation.Responses.Count(r => r.Key.StartsWith('2')) > 1 && operation.Responses.TryGetValue("200", out var placeholder)
            && placeholder.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference { Reference.Id: "IResult" }) == true)
            operation.Responses.Remove("200");
        var hasInput = operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true;
        if (hasInput) Problem(operation, document, 400, "Invalid input: `errors` names each field and what is wrong with it.");
        Problem(operation, document, 401, "No token, or a token that is expired, not signed with the service's key, or without `sub` and `clinic`.");
        Problem(operation, document, 403, "The token's roles do not allow this route.");
        Problem(operation, document, 429, "Over a rate limit: writes per user, reads of client data per user, or requests per clinic, each counted in the clock's minute; `limit` names which.",
            ("Retry-After", "Seconds until the minute ends and the limit allows again."));
        if (path.Contains('{')) Problem(operation, document, 404, "An id in the route that this clinic does not hold (another clinic's ids answer the same).");
        else operation.Responses.Remove("404");
        if (isWrite)
        {
            Problem(operation, document, 409, "The record changed while the request was decided (after three tries), or a request with the same Idempotency-Key is still in progress (then with `Retry-After`).",
                ("Retry-After", "Seconds to wait before retrying a request whose Idempotency-Key is still in progress."));
            Problem(operation, document, 412, "`If-Match` named a version the record has moved on from; `ETag` carries the current version.",
                ("ETag", "The record's current version."));
            if (operation.RequestBody is not null && !PhotoDocument.IsUpload(context))
            {
                Problem(operation, document, 413, "The body is larger than 256 KiB.");
                Problem(operation, document, 415, "The body is not JSON.");
            }
            else if (operation.RequestBody is not null)
                Problem(operation, document, 413, "The body is larger than 15 MiB and a little more (the image, its metadata and the multipart framing).");
            var codes = ApiContract.RefusalCodes(endpointType);
            Problem(operation, document, 422, "Refused by the clinic's rules, or an Idempotency-Key reused for a different request; `code` says which rule and `detail` why, in the clinic's words. " +
                "This route's codes: " + string.Join(", ", codes.Select(code => $"`{code}`")) + ".");
            ((OpenApiResponse)operation.Responses["422"]).Content![ProblemJson].Schema = ApiContract.RefusalSchema(document, codes);
            foreach (var header in WriteHeaders) AddParameter(operation, header.Name, header.Description, header.Pattern);
            foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
                if (response is OpenApiResponse success)
                {
                    success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    success.Headers["ETag"] = Header("The record's new version; send it back as If-Match on the next write.");
                    if (status == "201") success.Headers["Location"] = Header("Where the created thing can be read.");
                    success.Headers["Idempotent-Replayed"] = Header("`true` when this is the stored answer to an earlier request with the same Idempotency-Key.");
                }
        }
        else if (method == "GET")
            AddParameter(operation, ReadReplica.Header, "Where the service reads from a replica (README: Read replicas): the ETag a write answered. " +
                "A read of that client's record then reflects the write, or anything later; other reads that carry it read the primary. " +
                "Without a replica it changes nothing.", null);

        ApiExamples.Attach(operation, document, method, path, context.ApplicationServices);
    }

    private static readonly (string Name, string Description, string? Pattern)[] WriteHeaders =
    [
        ("If-Match", "The version (ETag) the caller decided on: the write is refused with 412 if the record has moved on.", null),
        ("Idempotency-Key", "1–200 visible ASCII characters: a retry with the same key gets the first answer again and appends nothing.", "^[\\x21-\\x7E]{1,200}$"),
    ];

    private static void AddParameter(OpenApiOperation operation, string name, string description, string? pattern)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Header)) return;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = pattern },
        });
    }

    internal static void Problem(OpenApiOperation operation, OpenApiDocument document, int status, string description,
        params (string Name, string Description)[] headers) =>
        operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
            Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h.Name, h => Header(h.Description)),
        };

    private static IOpenApiHeader Header(string description) =>
        new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static void Complete(OpenApiDocument document)
    {
        // The document describes the service wherever it runs: the server is the one it was read from, in a stable order.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The service this document was read from." }];
        document.Info.Title = "Courses API";
        document.Info.Contact = new OpenApiContact { Name = "Courses API team", Email = "api@courses.example" };
        document.Info.License = new OpenApiLicense { Name = "Proprietary: for the clinics' own front-ends", Url = new Uri("https://courses.example/licence") };
        document.Info.Description = "Microneedling treatment courses for aesthetic clinics. Every /api route needs a bearer token; " +
            "the clinic comes from its `clinic` claim. Errors are RFC 9457 problem details.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT with `sub` (the acting user), `clinic` (the tenant) and one or more `role` claims: " +
                string.Join(", ", Roles.All) + ".",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        // A shared enum schema gets null added when the first property using it happens to be nullable, so the
        // document would depend on the order routes are described in; nullable uses say so where they refer to it.
        foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>())
            schema.Enum = schema.Enum?.Where(value => value is not null).ToList();
        ApiContract.DescribeConditions(document.Components.Schemas);
        // The protocol route reads its body as a JsonDocument to name a wrong member's path; the document says it is a protocol.
        document.Components.Schemas.Remove("JsonDocument");
        // The placeholder type of endpoints that answer IResult: every such endpoint declares its real answer.
        document.Components.Schemas.Remove("IResult");
        document.Components.Schemas = document.Components.Schemas.OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToDictionary(s => s.Key, s => s.Value);

        var paths = document.Paths.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        document.Paths.Clear();
        foreach (var (key, item) in paths) document.Paths.Add(key, item);
        // Operations of one path in a fixed order too: the order endpoints are registered in differs between modes.
        foreach (var item in paths.Select(p => p.Value).OfType<OpenApiPathItem>().Where(i => i.Operations is { Count: > 1 }))
            item.Operations = item.Operations!.OrderBy(o => o.Key.Method, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Value);

        // The areas in the order a clinic works, each with what it is for.
        var used = paths.SelectMany(p => p.Value.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().ToHashSet();
        var areas = ApiContract.Areas.Where(area => used.Contains(area.Name))
            .Concat(used.Where(name => ApiContract.Areas.All(area => area.Name != name)).Order(StringComparer.Ordinal).Select(name => (Name: name, Description: "")));
        document.Tags = new HashSet<OpenApiTag>(areas.Select(area => new OpenApiTag { Name = area.Name, Description = area.Description }));
        foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>().Where(s => s.Enum is { Count: > 0 } && s.Type is null))
            schema.Type = JsonSchemaType.String;
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details, as every error of this service is answered.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = Text("What went wrong with this request, in the clinic's words."),
            ["instance"] = Text("The request path."),
            ["traceId"] = Text("The W3C trace id: quote it when reporting a problem."),
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "On a 422: the stable code of the rule that refused the request.",
                Enum = ProblemCodes.Select(code => (JsonNode)JsonValue.Create(code)).ToList(),
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "On a 400: each invalid field (camelCase; `$` for the body as a whole) and what is wrong with it.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        Required = new HashSet<string> { "title", "status" },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static string Words(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

}
