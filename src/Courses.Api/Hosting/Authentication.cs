using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Courses.Api.Hosting;

public static class Authentication
{
    public static IServiceCollection AddCoursesAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        // Fail at start-up, not on the first request, when neither an authority nor a usable key is configured.
        var signingKey = string.IsNullOrWhiteSpace(auth.Authority) ? auth.SymmetricKey() : null;

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = auth.Issuer,
                ValidateAudience = true,
                ValidAudience = auth.Audience,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = Caller.SubjectClaim,
                RoleClaimType = Caller.RoleClaim,
            };
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                jwt.Authority = auth.Authority;
            }
            else
            {
                jwt.TokenValidationParameters.IssuerSigningKey = signingKey;
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
        });

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<Warmup>((jwt, warmup) =>
        {
            // The node's own warm-up tokens (see Warmup): signed with a key that never leaves this process, and only until warm.
            jwt.TokenValidationParameters.IssuerSigningKeys = warmup.SigningKeys;
            jwt.Events ??= new JwtBearerEvents();
            jwt.Events.OnTokenValidated = context =>
            {
                warmup.MarkIfWarmup(context.HttpContext, context.SecurityToken.SigningKey);
                return Task.CompletedTask;
            };
        });

        services.AddAuthorization(options =>
        {
            // Every /api route needs an acting user and a clinic: the tenant comes from the token only.
            options.DefaultPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context =>
                    !string.IsNullOrWhiteSpace(context.User.FindFirstValue(Caller.SubjectClaim)) &&
                    !string.IsNullOrWhiteSpace(context.User.FindFirstValue(Caller.ClinicClaim)))
                .Build();

            foreach (var (name, roles) in Policies.RolesFor)
            {
                options.AddPolicy(name, policy => policy
                    .Combine(options.DefaultPolicy)
                    .RequireRole(roles));
            }
        });

        return services;
    }

    /// <summary>Issues an HS256 token with the configured key: development tokens and tests.</summary>
    public static string IssueToken(AuthOptions auth, string clinic, IEnumerable<string> roles, string subject,
        DateTimeOffset now, TimeSpan lifetime) => IssueToken(auth, auth.SymmetricKey(), clinic, roles, subject, now, lifetime);

    public static string IssueToken(AuthOptions auth, SecurityKey key, string clinic, IEnumerable<string> roles, string subject,
        DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = new List<Claim> { new(Caller.SubjectClaim, subject), new(Caller.ClinicClaim, clinic) };
        claims.AddRange(roles.Select(role => new Claim(Caller.RoleClaim, role)));

        var token = new JwtSecurityToken(
            issuer: auth.Issuer,
            audience: auth.Audience,
            claims: claims,
            notBefore: now.UtcDateTime.AddMinutes(-1),
            expires: now.UtcDateTime.Add(lifetime),
            signingCredentials: new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
