using Courses.Api.Hosting;
using JasperFx.CommandLine;

namespace Courses.Api.CommandLine;

public sealed class TokenInput
{
    [Description("The clinic (tenant) the token acts in")]
    [FlagAlias("clinic", true)]
    public string ClinicFlag { get; set; } = "";

    [Description("A role the token grants; repeat the flag for several (reception, practitioner, auditor, analyst, admin)")]
    [FlagAlias("role", true)]
    public List<string> RoleFlag { get; set; } = [];

    [Description("The acting user recorded on every event; dev-<first role> when left out")]
    [FlagAlias("sub", true)]
    public string? SubFlag { get; set; }

    [Description("How long the token is valid, in hours")]
    [FlagAlias("hours", true)]
    public double HoursFlag { get; set; } = 8;
}

[Description("Prints a token signed with the configured development key (Auth:SigningKey)", Name = "token")]
public sealed class TokenCommand(IConfiguration configuration) : JasperFxCommand<TokenInput>
{
    public override bool Execute(TokenInput input)
    {
        var roles = input.RoleFlag.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (string.IsNullOrWhiteSpace(input.ClinicFlag)) return Refuse("--clinic is required.");
        if (roles.Count == 0) return Refuse("at least one --role is required.");
        var unknown = roles.Except(Roles.All).ToArray();
        if (unknown.Length > 0) return Refuse($"unknown role(s): {string.Join(", ", unknown)}.");
        if (input.HoursFlag <= 0) return Refuse("--hours must be more than 0.");

        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (!string.IsNullOrWhiteSpace(auth.Authority))
            return Refuse("Auth:Authority is set: tokens come from the identity provider, not from this command.");

        Console.WriteLine(Authentication.IssueToken(auth, input.ClinicFlag, roles, input.SubFlag ?? $"dev-{roles[0]}",
            DateTimeOffset.UtcNow, TimeSpan.FromHours(input.HoursFlag)));
        return true;
    }

    private static bool Refuse(string problem)
    {
        Console.Error.WriteLine($"token: {problem}");
        return false;
    }
}
