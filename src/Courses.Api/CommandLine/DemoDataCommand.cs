using System.Globalization;
using Courses.Api.Demo;
using Courses.Domain.Assessments;
using Courses.Domain.Consents;
using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using JasperFx.CommandLine;

namespace Courses.Api.CommandLine;

public sealed class DemoDataInput : NetCoreInput
{
    [Description("The clinic (tenant) to fill; the tokens scripts/run prints are for demo-clinic")]
    [FlagAlias("clinic", true)] // long form only: -c is taken
    public string ClinicFlag { get; set; } = DemoClinic.DefaultClinic;

    [Description("How many clients to create")]
    [FlagAlias("clients", true)]
    public int ClientsFlag { get; set; } = DemoClinic.DefaultClients;

    [Description("Seed of the generator: the same seed on the same day gives the same clinic")]
    [FlagAlias("seed", true)]
    public int SeedFlag { get; set; } = DemoClinic.DefaultSeed;

    [Description("Fill the clinic even though the host environment is Production")]
    [FlagAlias("allow-production", true)]
    public bool AllowProductionFlag { get; set; }
}

[Description("Fills a clinic with demo clients at every stage of treatment; does nothing if the clinic has clients", Name = "demo-data")]
public sealed class DemoDataCommand : JasperFxAsyncCommand<DemoDataInput>
{
    public override async Task<bool> Execute(DemoDataInput input)
    {
        if (string.IsNullOrWhiteSpace(input.ClinicFlag) || input.ClientsFlag < 1)
        {
            Console.Error.WriteLine("demo-data: --clinic must be named and --clients must be at least 1.");
            return false;
        }

        using var host = input.BuildHost();
        return await FillAsync(input, host.Services.GetRequiredService<IHostEnvironment>(),
            host.Services.GetRequiredService<IDocumentStore>(), host.Services.GetRequiredService<TimeProvider>());
    }

    public static async Task<bool> FillAsync(DemoDataInput input, IHostEnvironment environment, IDocumentStore store, TimeProvider clock)
    {
        // The command ships in the production image: a real clinic's records must not be mixed with invented clients by a slip.
        if (environment.IsProduction() && !input.AllowProductionFlag)
        {
            Console.Error.WriteLine($"demo-data: refused, the host environment is {environment.EnvironmentName}: demo clients would be " +
                "written among a real clinic's records. Run it in Development, or add --allow-production if this database is a demo.");
            return false;
        }

        var today = clock.GetUtcNow();
        var result = await DemoClinic.SeedAsync(store, input.ClinicFlag, input.ClientsFlag, input.SeedFlag, today, CancellationToken.None);
        if (result.Refused)
        {
            // Not a failure: scripts/run --demo runs this on every start, and a demo clinic is filled once.
            Console.WriteLine($"demo-data: clinic \"{result.Clinic}\" already has {result.ExistingClients} clients; nothing was added " +
                "(scripts/run --demo --fresh, or scripts/db reset, starts again from an empty database).");
            return true;
        }

        Print(result, DateOnly.FromDateTime(today.UtcDateTime));
        return true;
    }

    private static void Print(DemoSeedResult result, DateOnly today)
    {
        var clients = result.Clients;
        var courses = clients.SelectMany(c => c.Record.Courses.Values).ToList();
        var reactions = clients.SelectMany(c => c.Record.Reactions.Values).ToList();
        var events = clients.SelectMany(c => c.Events).Select(e => e.Data).ToList();
        var first = events.Count == 0 ? today : clients.Min(c => DateOnly.FromDateTime(c.Record.RegisteredAt.UtcDateTime));

        Console.WriteLine($"demo-data: clinic \"{result.Clinic}\", {clients.Count} clients, business time {Day(first)} – {Day(today)}");
        Console.WriteLine();
        Console.WriteLine("  clients by stage today");
        foreach (var stage in Enum.GetValues<DemoStage>())
            Console.WriteLine($"    {Describe(stage),-44} {clients.Count(c => c.Stage == stage),5}");
        Console.WriteLine();
        Console.WriteLine($"    {"course sessions",-44} {events.OfType<SessionRecorded>().Count(),5}");
        Console.WriteLine($"    {"maintenance sessions",-44} {events.OfType<MaintenanceSessionRecorded>().Count(),5}");
        Console.WriteLine($"    {"reactions (resolved / open)",-44} {$"{reactions.Count(r => r.IsResolved)} / {reactions.Count(r => !r.IsResolved)}",5}");
        Console.WriteLine($"    {"courses paused by a reaction, later resumed",-44} {events.OfType<CourseResumed>().Count(),5}");
        Console.WriteLine($"    {"serum allergies recorded",-44} {events.OfType<SerumAllergyRecorded>().Count(),5}");
        var sessions = events.OfType<ISessionRecorded>().ToList();
        Console.WriteLine($"    {"sessions with cream / cartridge / pen traced",-44} " +
            $"{sessions.Count(s => s.NumbingCream is not null)} / {sessions.Count(s => s.NeedleCartridge is not null)} / {sessions.Count(s => s.Device is not null)}");
        Console.WriteLine($"    {"consents with evidence",-44} {events.OfType<ConsentRecorded>().Count(c => c.DocumentSha256 is not null),5}");
        Console.WriteLine($"    {"courses planned",-44} {courses.Count,5}");
        var assessed = events.OfType<SkinAssessed>().ToList();
        Console.WriteLine($"    {"skin: baseline / progress / check / outcome",-44} " +
            string.Join(" / ", Enum.GetValues<AssessmentKind>().Select(kind => assessed.Count(a => a.Kind == kind))));
        Console.WriteLine($"    {"outcomes worse than their baseline",-44} {assessed.Count(a => a.Outcome?.Changes.Any(c => c.Change > 0) == true),5}");
        Console.WriteLine();
        Console.WriteLine($"  events appended   {result.EventCount} in {clients.Count} streams");
        var refused = result.RefusedByCode.Count == 0
            ? "none"
            : string.Join(", ", result.RefusedByCode.OrderByDescending(r => r.Value).Select(r => $"{r.Key} ×{r.Value}"));
        Console.WriteLine($"  steps refused     {result.RefusedByCode.Values.Sum()} ({refused}); refused steps were skipped");
        Console.WriteLine($"  time taken        {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        var examples = Examples(clients);
        if (examples.Count == 0) return;
        Console.WriteLine();
        Console.WriteLine("  clients to try (paste into the README's examples as {clientId} / {courseId})");
        foreach (var example in examples)
            Console.WriteLine($"    {example.Stage,-44} {example.ClientId}{(example.CourseId is { } course ? $"  course {course}" : "")}");
    }

    public sealed record Example(string Stage, Guid ClientId, Guid? CourseId);

    /// <summary>One client of each of a few telling stages, with the course to ask about: ids a reader can paste.</summary>
    public static IReadOnlyList<Example> Examples(IReadOnlyList<DemoClient> clients) =>
        new[] { DemoStage.MidCourse, DemoStage.Paused, DemoStage.MaintenanceOverdue, DemoStage.ConsultationBooked }
            .Select(stage => clients.FirstOrDefault(c => c.Stage == stage))
            .OfType<DemoClient>()
            .Select(c => new Example(Describe(c.Stage), c.ClientId,
                c.Record.Courses.Values.OrderByDescending(course => course.PlannedAt).Select(course => (Guid?)course.Id).FirstOrDefault()))
            .ToArray();

    private static string Describe(DemoStage stage) => stage switch
    {
        DemoStage.ConsultationBooked => "consultation booked, not yet held",
        DemoStage.ConsultationCancelled => "consultation cancelled",
        DemoStage.Declined => "treatment declined at consultation",
        DemoStage.Planned => "course planned, no session yet",
        DemoStage.MidCourse => "mid-course",
        DemoStage.Paused => "course paused after a reaction",
        DemoStage.CourseCancelled => "course cancelled",
        DemoStage.MaintenanceLater => "completed, maintenance due later",
        DemoStage.MaintenanceDueSoon => $"completed, maintenance due within {DemoClinic.DueSoonDays} days",
        DemoStage.MaintenanceOverdue => "completed, maintenance overdue",
        DemoStage.Maintained => "maintenance session done, next due later",
        _ => stage.ToString(),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
