using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courses.Api.Writes;
using Microsoft.OpenApi;

namespace Courses.Api.OpenApi;

/// <summary>
/// What the document says about the request side, read from the slices' own declarations so the truth stays in one
/// place: <see cref="MandatoryAttribute"/> members are <c>required</c> (and not nullable), <see cref="OneOfAttribute"/>
/// members are the enumeration's camelCase names, and a route's 422 codes are its Decide step's <see cref="RefusesAttribute"/>.
/// </summary>
public static class ApiContract
{
    /// <summary>The areas (tags) in the order a clinic works, each with what it is for.</summary>
    public static IReadOnlyList<(string Name, string Description)> Areas { get; } =
    [
        ("Clients", "Registering a client, reading the treatment record, contact details and their erasure."),
        ("Screenings", "The medical screening before any treatment: conditions and known allergies."),
        ("Consents", "The signed consent form microneedling needs."),
        ("Consultations", "Booking, rescheduling, cancelling and completing a consultation; a plan starts a course."),
        ("Courses", "A planned course of sessions: reading, pausing, resuming and cancelling it."),
        ("Sessions", "Recording a course session or a maintenance session, within the protocol's depths and intervals."),
        ("Reactions", "Reporting and resolving a reaction after a session; a reaction may pause courses."),
        ("Skin", "Scoring the skin on the protocol's validated scales — baseline, progress, healing checks, a course's outcome — and its evolution."),
        ("Photos", "Photo consent, and clinical photos: taken with consent, kept without their metadata, compared over time, retracted when taken in error."),
        ("Schedule", "The clinic's day in its time zone: consultations booked, course sessions and maintenance due."),
        ("Maintenance", "Clients whose maintenance session falls due."),
        ("Recall", "Every client treated with a serum lot."),
        ("Protocol", "The clinic's treatment protocol: depths, intervals and healing windows."),
        ("Analytics", "Monthly figures for the clinic, and what courses achieved beside their reaction rates."),
        ("Audit", "The record's history, replay, hash chain, FHIR export and the access log."),
        ("Webhooks", "Subscriptions to the clinic's events, and their dead letters."),
    ];

    /// <summary>The 422 codes a route can answer: its decision's, and the reused Idempotency-Key every write may meet.</summary>
    public static IReadOnlyList<string> RefusalCodes(Type? endpoint) =>
        (endpoint?.GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.GetCustomAttribute<RefusesAttribute>())
            .OfType<RefusesAttribute>().SelectMany(r => r.Codes) ?? [])
        .Append(WriteSafety.IdempotencyKeyReused).Distinct().ToArray();

    /// <summary>The problem schema narrowed to a route's codes.</summary>
    public static IOpenApiSchema RefusalSchema(OpenApiDocument document, IReadOnlyList<string> codes) => new OpenApiSchema
    {
        AllOf =
        [
            new OpenApiSchemaReference(ApiDocument.ProblemSchema, document),
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema> { ["code"] = Enumeration(codes) },
                Required = new HashSet<string> { "code" },
            },
        ],
    };

    // Members required only in some case, by (schema, member): described once the document is complete, as a nullable
    // member's schema is only wrapped (oneOf null or the reference) after the schema transformers ran.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Schema, string Member), string> Conditional = new();

    /// <summary>
    /// Says on each member required only in some case when it is; and makes each required member that refers to another
    /// schema that schema, not "null or it" (the exporter wraps references to nullable records only once every schema is
    /// known, after <see cref="Complete"/> has run).
    /// </summary>
    public static void DescribeConditions(IDictionary<string, IOpenApiSchema> schemas)
    {
        foreach (var ((name, member), description) in Conditional)
            if (schemas.TryGetValue(name, out var schema) && schema.Properties?.TryGetValue(member, out var found) == true && found is OpenApiSchema property)
                property.Description = description;
        foreach (var schema in schemas.Where(s => IsRequest(s.Key)).Select(s => s.Value).OfType<OpenApiSchema>()
                     .Where(s => s.Required is { Count: > 0 } && s.Properties is not null))
            foreach (var name in schema.Required!)
                if (schema.Properties!.TryGetValue(name, out var member) && member is OpenApiSchema { OneOf: { Count: 2 } choices }
                    && choices.OfType<OpenApiSchemaReference>().SingleOrDefault() is { } reference
                    && choices.Any(c => c is OpenApiSchema { Type: JsonSchemaType.Null }))
                    schema.Properties[name] = reference;
    }

    /// <summary>Applies a request record's declarations to its schema.</summary>
    public static void Complete(OpenApiSchema schema, Type type)
    {
        if (schema.Properties is null || type.IsPrimitive || type == typeof(string)) return;
        // Request members are nullable so that the service, not the JSON reader, names what is missing: only the
        // members the slice declares mandatory are required, whatever the exporter guessed from the constructor.
        if (IsRequest(type.Name)) schema.Required?.Clear();
        var parameters = type.GetConstructors().SelectMany(c => c.GetParameters()).ToList();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!schema.Properties.TryGetValue(name, out var member)) continue;
            var parameter = parameters.FirstOrDefault(p => p.Name == property.Name);
            var declared = Declared<MandatoryAttribute>(property, parameter);
            if (declared?.When is { } when) Conditional[(type.Name, name)] = $"Required when {when}.";
            var mandatory = declared is { When: null };
            if (Declared<OneOfAttribute>(property, parameter) is { } oneOf)
            {
                var names = Names(oneOf.Enumeration);
                if (member is OpenApiSchema { Items: not null } list)
                    list.Items = Enumeration(names);
                else
                    schema.Properties[name] = member = Enumeration(names, nullable: !mandatory);
            }
            if (!mandatory) continue;
            schema.Required ??= new HashSet<string>();
            schema.Required.Add(name);
            // A required member may not be null either: the service answers null as it answers a missing member.
            if (member is OpenApiSchema { OneOf: { Count: > 0 } choices } && choices.FirstOrDefault(c => c is OpenApiSchemaReference) is { } reference)
                schema.Properties[name] = reference;
            else if (member is OpenApiSchema inline)
            {
                if (inline.Format is "date-time" or "date" && inline.Type is null) inline.Type = JsonSchemaType.String;
                if (inline.Type is { } kind) inline.Type = kind & ~JsonSchemaType.Null;
            }
        }
    }

    private static bool IsRequest(string name) =>
        name.EndsWith("Request", StringComparison.Ordinal) || name.EndsWith("Input", StringComparison.Ordinal);

    private static T? Declared<T>(PropertyInfo property, ParameterInfo? parameter) where T : Attribute =>
        property.GetCustomAttribute<T>() ?? parameter?.GetCustomAttribute<T>();

    public static IReadOnlyList<string> Names(Type enumeration) =>
        Enum.GetNames(enumeration).Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray();

    private static OpenApiSchema Enumeration(IReadOnlyList<string> values, bool nullable = false) => new()
    {
        Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String,
        Enum = values.Select(value => (JsonNode)JsonValue.Create(value)).Concat(nullable ? [null!] : []).ToList(),
    };
}
