namespace Courses.Api.Http;

/// <summary>The roles of DESIGN.md §5 (claim <c>role</c>) and the policies routes ask for.</summary>
public static class Roles
{
    public const string Reception = "reception";
    public const string Practitioner = "practitioner";
    public const string Auditor = "auditor";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static readonly string[] All = [Reception, Practitioner, Auditor, Analyst, Admin];
}

public static class Policies
{
    /// <summary>Registering clients, contact details, booking consultations, the maintenance list.</summary>
    public const string FrontDesk = nameof(FrontDesk);

    /// <summary>Everything clinical: screenings, consents, consultations, sessions, reactions.</summary>
    public const string Clinical = nameof(Clinical);

    /// <summary>Reading a client's profile and courses: front desk, clinicians and auditors.</summary>
    public const string ReadClient = nameof(ReadClient);

    /// <summary>Reading clinical detail (depth history, reactions): clinicians and auditors, not the front desk.</summary>
    public const string ReadClinical = nameof(ReadClinical);

    /// <summary>Reading the full history and replayed record.</summary>
    public const string Audit = nameof(Audit);

    /// <summary>
    /// Who read which client's data: auditors only. Practitioners are among those the log watches, and it shows
    /// which clients their colleagues looked at.
    /// </summary>
    public const string AccessLog = nameof(AccessLog);

    public const string Analytics = nameof(Analytics);

    /// <summary>Finding every client treated with a serum lot, for a recall.</summary>
    public const string Recall = nameof(Recall);
    public const string ProtocolAdmin = nameof(ProtocolAdmin);

    /// <summary>Erasing a client's contact data.</summary>
    public const string Erasure = nameof(Erasure);

    /// <summary>Registering webhooks and replaying their dead letters.</summary>
    public const string Integrations = nameof(Integrations);

    public static readonly IReadOnlyDictionary<string, string[]> RolesFor = new Dictionary<string, string[]>
    {
        [FrontDesk] = [Roles.Reception, Roles.Practitioner],
        [Clinical] = [Roles.Practitioner],
        [ReadClient] = [Roles.Reception, Roles.Practitioner, Roles.Auditor],
        [ReadClinical] = [Roles.Practitioner, Roles.Auditor],
        [Audit] = [Roles.Auditor, Roles.Practitioner],
        [AccessLog] = [Roles.Auditor],
        [Analytics] = [Roles.Analyst, Roles.Admin],
        [Recall] = [Roles.Practitioner, Roles.Admin],
        [ProtocolAdmin] = [Roles.Admin],
        [Erasure] = [Roles.Admin],
        [Integrations] = [Roles.Admin],
    };
}
