using JasperFx.CommandLine;

namespace Courses.Api.CommandLine;

/// <summary>
/// The commands that need only configuration. They run before the host is built: a container health check every few
/// seconds, or a token for a developer, must not build Marten and Wolverine first. Every other command
/// (db-apply, projections, demo-data, db-bi-role, codegen …) runs through the host.
/// </summary>
public static class HostFreeCommands
{
    private static readonly Dictionary<string, Type> Commands = new()
    {
        ["token"] = typeof(TokenCommand),
        ["health-probe"] = typeof(HealthProbeCommand),
    };

    public static bool Handle(string[] args) => args.Length > 0 && Commands.ContainsKey(args[0]);

    public static Task<int> RunAsync(string[] args, IConfiguration configuration) =>
        CommandExecutor.For(factory =>
        {
            foreach (var command in Commands.Values) factory.RegisterCommand(command);
        }, new WithConfiguration(configuration)).ExecuteAsync(args);

    private sealed class WithConfiguration(IConfiguration configuration) : ICommandCreator
    {
        public IJasperFxCommand CreateCommand(Type commandType) => (IJasperFxCommand)Activator.CreateInstance(commandType, configuration)!;

        public object CreateModel(Type modelType) => Activator.CreateInstance(modelType)!;
    }
}
