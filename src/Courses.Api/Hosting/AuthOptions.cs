using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Courses.Api.Hosting;

/// <summary>The <c>Auth</c> configuration section: an OIDC authority, or a shared HS256 signing key.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinimumKeyBytes = 32;

    public string? Authority { get; set; }
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "courses";
    public string Audience { get; set; } = "courses-api";

    public SymmetricSecurityKey SymmetricKey()
    {
        var bytes = Encoding.UTF8.GetBytes(SigningKey ?? "");
        if (bytes.Length < MinimumKeyBytes)
            throw new InvalidOperationException(
                $"Auth:SigningKey must be at least {MinimumKeyBytes} bytes (or set Auth:Authority to use an OIDC provider).");
        return new SymmetricSecurityKey(bytes);
    }
}
