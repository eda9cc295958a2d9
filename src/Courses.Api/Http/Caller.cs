using System.Security.Claims;

namespace Courses.Api.Http;

/// <summary>Who is calling, from the token: the acting user (<c>sub</c>), the clinic (the only place the tenant comes from) and roles.</summary>
public static class Caller
{
    public const string ClinicClaim = "clinic";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static string Clinic(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClinicClaim) ?? throw new InvalidOperationException("The token has no clinic claim.");

    public static string Subject(this ClaimsPrincipal user) =>
        user.FindFirstValue(SubjectClaim) ?? throw new InvalidOperationException("The token has no sub claim.");
}
