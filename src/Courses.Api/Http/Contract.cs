namespace Courses.Api.Http;

/// <summary>
/// A request member the route's Validate refuses to do without: the OpenAPI document lists it in <c>required</c>, and
/// Connecting/ApiContractTests checks that leaving it out gives a 400 naming it (and that nothing else does).
/// </summary>
/// With <see cref="When"/> it is required only in that case: not in <c>required</c>, but said in its description.
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class MandatoryAttribute : Attribute
{
    /// <summary>The case in which the member is required, in words ("outcome is plan"); null when it always is.</summary>
    public string? When { get; init; }
}

/// <summary>A text member (or list of texts) that takes the camelCase names of an enumeration: documented as its <c>enum</c>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class OneOfAttribute(Type enumeration) : Attribute
{
    public Type Enumeration { get; } = enumeration;
}

/// <summary>
/// The rule codes a route's decision can refuse with (its 422s), declared on the Decide step beside the decision it
/// calls; the document lists exactly these, and a test checks them against the decision's code.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RefusesAttribute(params string[] codes) : Attribute
{
    public IReadOnlyList<string> Codes { get; } = codes;
}
