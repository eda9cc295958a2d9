using Courses.Api.Audit;
using Courses.Api.CommandLine;
using Courses.Api.Hosting;
using Courses.Api.OpenApi;
using Courses.Api.Photos;
using Courses.Api.Protocol;
using Courses.Api.Webhooks;
using Courses.Api.Writes;
using Courses.Domain.Protocol;
using JasperFx;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

if (HostFreeCommands.Handle(args)) return await HostFreeCommands.RunAsync(args, builder.Configuration);

builder.AddCoursesTelemetry();
builder.AddCoursesRequestLimits();
ProjectionRebuild.Configure(builder, args);
builder.AddCoursesPersistence();
builder.AddCoursesWebhooks();
builder.AddClinicalPhotos();
builder.Services.AddCoursesAuthentication(builder.Configuration);
builder.Services.AddCoursesProblems();
builder.Services.AddCoursesHealth();
builder.Services.AddCoursesWarmup(builder.Configuration);
builder.Services.AddCoursesMetrics(builder.Configuration);
builder.Services.AddCoursesBrowserAccess(builder.Configuration);
builder.Services.AddCoursesApiDocument();
builder.Services.AddCoursesRateLimits(builder.Configuration);
builder.Services.AddWolverineHttp();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddCoursesJson();

var app = builder.Build();

app.UseCoursesSecurityHeaders();
app.UseExceptionHandler();
app.UseCoursesBrowserAccess(app.Configuration);
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseMiddleware<CommandMetrics>();
// Outside authorization, so reads it refuses (403) are recorded too.
app.UseMiddleware<AccessLog>();
app.UseAuthorization();
app.UseRateLimiter();
app.UseMiddleware<WriteSafety>();
if (app.Services.GetRequiredService<ReadReplica>().Configured) app.UseMiddleware<StandbyFallback>();

app.MapCoursesHealth();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapWolverineEndpoints(http =>
{
    http.RequireAuthorizeOnAll();
    http.TenantId.IsClaimTypeNamed(Caller.ClinicClaim);
    http.TenantId.AssertExists();
    // Before the others: a read route's query session comes from here (the standby where there is one), not from Wolverine.
    http.AddMiddleware(typeof(ReadSessions), chain => chain.HttpMethods.SequenceEqual(["GET"]) && EndpointParameters.AsksFor<IQuerySession>(chain.Method.HandlerType));
    http.AddMiddleware(typeof(ProtocolInForce), chain => EndpointParameters.AsksFor<ClinicProtocol>(chain.Method.HandlerType));
    http.AddMiddleware(typeof(SubscriptionsInForce), chain => EndpointParameters.AsksFor<Subscriptions>(chain.Method.HandlerType));
});

if (!ProjectionRebuild.OnePass(app.Configuration)) return await app.RunJasperFxCommands(args);
var finish = await ProjectionRebuild.FinishAfterAsync(app.Services);
var exit = await app.RunJasperFxCommands(ProjectionRebuild.WithShardTimeout(args));
return exit != 0 ? exit : await finish();

public partial class Program;
