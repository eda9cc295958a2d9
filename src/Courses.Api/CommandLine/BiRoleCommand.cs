using Courses.Api.Analytics;
using Courses.Api.Hosting;
using JasperFx.CommandLine;

namespace Courses.Api.CommandLine;

public sealed class BiRoleInput : NetCoreInput
{
    [Description("The clinic (tenant) whose analytics the login may read")]
    public string Clinic { get; set; } = "";

    [Description("The PostgreSQL login to create or update: lower-case letters, digits and _")]
    public string Login { get; set; } = "";

    [Description("Its password")]
    public string Password { get; set; } = "";
}

[Description("Creates (or updates) a PostgreSQL login that reads one clinic's analytics views and nothing else", Name = "db-bi-role")]
public sealed class BiRoleCommand : JasperFxAsyncCommand<BiRoleInput>
{
    public BiRoleCommand() => Usage("Grant a login one clinic's analytics views").Arguments(x => x.Clinic, x => x.Login, x => x.Password);

    public override async Task<bool> Execute(BiRoleInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Clinic) || !BiLogins.IsValidLogin(input.Login) || input.Password.Length < 8)
        {
            Console.Error.WriteLine("db-bi-role: name the clinic; the login is lower-case letters, digits and _; the password has at least 8 characters.");
            return false;
        }

        using var host = input.BuildHost();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        var settings = configuration.GetSection(StoreSettings.Section).Get<StoreSettings>() ?? new StoreSettings();
        var connectionString = configuration.GetConnectionString(Persistence.ConnectionStringName)!;
        await BiLogins.GrantAsync(connectionString, settings.AnalystSchemas, input.Clinic, input.Login, input.Password, CancellationToken.None);
        Console.WriteLine($"db-bi-role: {input.Login} reads the views in schema {settings.BiSchema} for clinic \"{input.Clinic}\" only.");
        return true;
    }
}
