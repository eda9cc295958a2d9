using Courses.Api.Hosting;
using JasperFx.CommandLine;

namespace Courses.Api.CommandLine;

public sealed class ClinicAddInput : NetCoreInput
{
    [Description("The clinic id (the token's clinic claim)")]
    public string Clinic { get; set; } = "";

    [Description("The connection string of the clinic's database; the database is created when missing")]
    public string ConnectionString { get; set; } = "";
}

[Description("Database per clinic: adds a clinic (or moves it to another database) while the nodes run, and migrates its database", Name = "clinic-add")]
public sealed class ClinicAddCommand : JasperFxAsyncCommand<ClinicAddInput>
{
    public ClinicAddCommand() => Usage("Add a clinic").Arguments(x => x.Clinic, x => x.ConnectionString);

    public override async Task<bool> Execute(ClinicAddInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Clinic) || string.IsNullOrWhiteSpace(input.ConnectionString))
        {
            Console.Error.WriteLine("clinic-add: name the clinic and its database's connection string.");
            return false;
        }
        using var host = input.BuildHost();
        await host.Services.GetRequiredService<ClinicDirectory>().AddAsync(input.Clinic, input.ConnectionString, CancellationToken.None);
        Console.WriteLine($"clinic-add: clinic \"{input.Clinic}\" is in the directory and its database is migrated; running nodes serve it now.");
        return true;
    }
}

public sealed class ClinicRetireInput : NetCoreInput
{
    [Description("The clinic id to stop serving; its database is left as it is")]
    public string Clinic { get; set; } = "";
}

[Description("Database per clinic: stops serving a clinic on every node (its data stays; clinic-add serves it again)", Name = "clinic-retire")]
public sealed class ClinicRetireCommand : JasperFxAsyncCommand<ClinicRetireInput>
{
    public ClinicRetireCommand() => Usage("Retire a clinic").Arguments(x => x.Clinic);

    public override async Task<bool> Execute(ClinicRetireInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Clinic))
        {
            Console.Error.WriteLine("clinic-retire: name the clinic.");
            return false;
        }
        using var host = input.BuildHost();
        await host.Services.GetRequiredService<ClinicDirectory>().RetireAsync(input.Clinic);
        Console.WriteLine($"clinic-retire: clinic \"{input.Clinic}\" is disabled; nodes stop serving it within {ClinicRetirements.Interval.TotalSeconds:0} s.");
        return true;
    }
}
