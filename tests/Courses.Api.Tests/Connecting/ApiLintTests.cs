using System.Diagnostics;

namespace Courses.Api.Tests.Connecting;

/// <summary>
/// Redocly's recommended rules over the committed document (TypeScriptClientTests checks it is the service's own):
/// scripts/lint-api must report no error. It installs @redocly/cli into the git-ignored .tools folder when missing.
/// </summary>
public sealed class ApiLintTests
{
    [Fact]
    public async Task The_document_passes_redocly_lint_without_errors()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Courses.slnx"))) root = root.Parent;
        Assert.NotNull(root);

        using var lint = Process.Start(new ProcessStartInfo("bash", "scripts/lint-api")
        {
            WorkingDirectory = root.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = lint.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = lint.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await lint.WaitForExitAsync(timeout.Token);
        var report = await output + await errors;
        Assert.True(lint.ExitCode == 0, $"scripts/lint-api failed:\n{report}");
        Assert.DoesNotContain(" error ", report);
    }
}
