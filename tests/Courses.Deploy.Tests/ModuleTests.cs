using System.Text.RegularExpressions;
using static Courses.Deploy.Tests.Repo;

namespace Courses.Deploy.Tests;

/// <summary>
/// The modules of the service and the dependencies the README's layout allows them: a file that reaches past its
/// module's edge fails here, naming the file and what it used.
/// </summary>
public sealed partial class ModuleTests
{
    private const string Api = "Courses.Api";

    /// <summary>The API's modules from the top down, as the README draws them: each may use only those below it (slices also each other).</summary>
    private static readonly string[] Layers = ["Program", "CommandLine", "Hosting", "OpenApi", "Writes", "Slice", "Http"];

    private static bool MayUse(string module, string used) =>
        (module == "Slice" && used == "Slice") || Array.IndexOf(Layers, used) > Array.IndexOf(Layers, module);

    [Fact]
    public void Each_api_module_uses_only_the_modules_it_may()
    {
        var breaches = (
            from file in Directory.EnumerateFiles(Path("src", Api), "*.cs", SearchOption.AllDirectories)
            let relative = System.IO.Path.GetRelativePath(Path("src", Api), file).Replace('\\', '/')
            where !relative.StartsWith("Internal/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal)
                  && !relative.StartsWith("bin/", StringComparison.Ordinal)
            let module = ModuleOf(relative)
            from used in ApiNamespacesUsed(File.ReadAllText(file))
            let usedModule = ModuleOf(used + "/")
            where usedModule != module
            where !MayUse(module, usedModule)
            select $"{relative} ({module}) uses {Api}.{used} ({usedModule})").Distinct().ToList();
        Assert.True(breaches.Count == 0, string.Join("\n", breaches));
    }

    [Fact]
    public void The_domain_has_no_package_and_no_project_reference()
    {
        var project = Read("src", "Courses.Domain", "Courses.Domain.csproj");
        Assert.DoesNotContain("PackageReference", project);
        Assert.DoesNotContain("ProjectReference", project);
    }

    [Fact]
    public void The_read_side_does_not_know_the_http_edge()
    {
        var project = Read("src", "Courses.Projections", "Courses.Projections.csproj");
        Assert.DoesNotContain("Courses.Api", project);
        Assert.DoesNotContain("AspNetCore", project);
    }

    [Fact]
    public void The_module_rule_sees_a_breach()
    {
        Assert.Equal(["Hosting"], ApiNamespacesUsed("using Courses.Api.Hosting;\nnamespace Courses.Api.Sessions;"));
        Assert.Equal(["Writes"], ApiNamespacesUsed("var x = Courses.Api.Writes.WriteRequests.IsWrite(r);"));
        Assert.Equal("Slice", ModuleOf("Sessions/RecordSession.cs"));
        Assert.Equal("Hosting", ModuleOf("Hosting/Persistence.cs"));
        Assert.False(MayUse("Slice", "Hosting"));
        Assert.False(MayUse("Http", "Writes"));
        Assert.False(MayUse("OpenApi", "Hosting"));
        Assert.True(MayUse("OpenApi", "Slice"));
        Assert.True(MayUse("Writes", "Http"));
    }

    private static string ModuleOf(string relativePath) => relativePath.Split('/')[0] switch
    {
        "Program.cs" => "Program",
        "Http" or "Writes" or "OpenApi" or "Hosting" or "CommandLine" => relativePath.Split('/')[0],
        _ => "Slice",
    };

    /// <summary>The first segment after <c>Courses.Api.</c> of every namespace a file imports or names.</summary>
    private static IEnumerable<string> ApiNamespacesUsed(string source) =>
        ApiReference().Matches(OwnNamespace().Replace(source, "")).Select(m => m.Groups[1].Value).Where(s => s != "Tests").Distinct();

    [GeneratedRegex(@"^namespace [\w.]+;", RegexOptions.Multiline)]
    private static partial Regex OwnNamespace();

    [GeneratedRegex(@"(?<![\w.])Courses\.Api\.(\w+)")]
    private static partial Regex ApiReference();
}
