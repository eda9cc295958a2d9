namespace Courses.Api.Hosting;

/// <summary><c>token --clinic C --role R [--role R2] [--sub S] [--hours H]</c>: prints a signed token for the configured key.</summary>
public static class TokenCommand
{
    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == "token";

    public static int Run(string[] args, IConfiguration configuration, TimeProvider clock, TextWriter output, TextWriter error)
    {
        string? clinic = null, subject = null;
        var roles = new List<string>();
        var hours = 8.0;

        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--clinic" when value is not null: clinic = value; i++; break;
                case "--role" when value is not null: roles.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries)); i++; break;
                case "--sub" when value is not null: subject = value; i++; break;
                case "--hours" when value is not null && double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0:
                    hours = h; i++; break;
                default:
                    return Usage(error, $"Unknown or incomplete option '{args[i]}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(clinic)) return Usage(error, "--clinic is required.");
        if (roles.Count == 0) return Usage(error, "at least one --role is required.");
        var unknown = roles.Except(Roles.All).ToArray();
        if (unknown.Length > 0) return Usage(error, $"unknown role(s): {string.Join(", ", unknown)}.");

        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (!string.IsNullOrWhiteSpace(auth.Authority))
            return Usage(error, "Auth:Authority is set: tokens come from the identity provider, not from this command.");

        output.WriteLine(Authentication.IssueToken(auth, clinic, roles, subject ?? $"dev-{roles[0]}",
            clock.GetUtcNow(), TimeSpan.FromHours(hours)));
        return 0;
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"token: {problem}");
        error.WriteLine($"usage: token --clinic CLINIC --role ROLE [--role ROLE] [--sub USER] [--hours 8]   roles: {string.Join(", ", Roles.All)}");
        return 2;
    }
}
