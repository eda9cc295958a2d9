using System.Text.Json;
using System.Text.Json.Serialization;
using Courses.Domain;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Courses.Projections;
using Courses.Projections.Protocol;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

// The bare Critter Stack anchor of bench/run: the service's RecordSession with Wolverine's and Marten's defaults only.
// It shares the service's tables (same database, schemas, tenancy, metadata columns and read models, so Marten's schema
// check finds nothing to change in them); its own Wolverine node and outbox live in a schema of their own.
var builder = WebApplication.CreateBuilder(args);
var clinic = builder.Configuration["Clinic"] ?? "bench-clinic";
var enums = new JsonStringEnumConverter(JsonNamingPolicy.CamelCase);

builder.Services.AddMarten(opts =>
    {
        opts.Connection(builder.Configuration.GetConnectionString("Courses")
            ?? throw new InvalidOperationException("ConnectionStrings__Courses is not set."));
        opts.DatabaseSchemaName = "courses";
        opts.Events.DatabaseSchemaName = "courses_events";
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate; // builds bare_messages; the Marten default
        // The stored shape the service's tables and events have; without these the same rows could not be shared.
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, configure: json => json.Converters.Add(enums));
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.AddReadModels();
    })
    .UseLightweightSessions()
    .IntegrateWithWolverine(wolverine => wolverine.MessageStorageSchemaName = "bare_messages");

builder.Host.UseWolverine(opts =>
{
    opts.ApplicationAssembly = typeof(Program).Assembly;
    opts.Policies.AutoApplyTransactions();
});
builder.Services.AddWolverineHttp();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(enums));

var app = builder.Build();
app.MapWolverineEndpoints(http => http.TenantId.DefaultIs(clinic));
return await app.RunJasperFxCommands(args);

public sealed record SessionBody(DateTimeOffset PerformedAt, string PractitionerId, List<AreaDepth> Areas, Serum Serum,
    bool NumbingCreamApplied, bool CalmingMaskApplied, bool SpfApplied, string? Notes);

public sealed record SessionRecordedBody(Guid SessionId, int SessionNumber, long Version);

public static class RecordSessionEndpoint
{
    [WolverinePost("/clients/{clientId}/courses/{courseId}/sessions")]
    public static async Task<(IResult, Events)> Post(SessionBody body, Guid courseId, [WriteAggregate("clientId")] TreatmentRecord record,
        IDocumentSession session)
    {
        var protocol = (await session.LoadAsync<ClinicProtocolDocument>(ProtocolStream.IdFor(session.TenantId)))?.Protocol
            ?? ClinicProtocol.Default;
        var command = new RecordSession(courseId, Guid.CreateVersion7(), body.PerformedAt, body.PractitionerId, body.Areas,
            body.Serum, body.NumbingCreamApplied, body.CalmingMaskApplied, body.SpfApplied, body.Notes, "bare");
        var decision = RecordSessionDecision.Decide(record, command, protocol, DateTimeOffset.UtcNow);
        if (decision.Violation is { } refused)
            return (Results.Problem(refused.Detail, statusCode: 422, title: refused.Code), new Events());
        var recorded = decision.Events.OfType<SessionRecorded>().Single();
        return (Results.Ok(new SessionRecordedBody(recorded.SessionId, recorded.SessionNumber, record.Version + decision.Events.Count)),
            new Events(decision.Events));
    }
}
