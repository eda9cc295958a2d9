using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using static Courses.Deploy.Tests.Repo;
using Courses.Api.Hosting;
using Courses.Api.CommandLine;

namespace Courses.Deploy.Tests;

/// <summary>
/// No Docker engine or cluster here: what can be proven without one. Every deployment file parses, and the
/// Dockerfile, compose, Kubernetes, proxy, collector and dashboard agree with each other and with the app.
/// </summary>
public sealed class ConsistencyTests
{
    private static readonly Dockerfile Image = Dockerfile.Load();
    private static readonly Dictionary<string, object?> Compose = YamlDocument("deploy", "compose.yaml");
    private static readonly string[] ApiServices = ["api1", "api2"];
    private const string ImageName = "courses-api";

    private static Dictionary<string, object?> Service(string name) => Map(At(Compose, "services", name));

    private static Dictionary<string, object?> K8s(string file) => YamlDocument("deploy", "k8s", "base", file);

    private static Dictionary<string, object?> ApiContainer() =>
        Map(List(At(K8s("deployment.yaml"), "spec", "template", "spec", "containers")).Single());

    private static Dictionary<string, object?> JobContainer() =>
        Map(List(At(K8s("job-db-apply.yaml"), "spec", "template", "spec", "containers")).Single());

    private static int ImagePort => int.Parse(Image.Env["ASPNETCORE_HTTP_PORTS"], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Every_yaml_file_under_deploy_parses()
    {
        var files = YamlFiles().ToArray();
        Assert.True(files.Length >= 15, $"only {files.Length} YAML files found");
        foreach (var file in files)
        {
            var documents = Yaml(file);
            Assert.True(documents.Count > 0 && documents.All(d => d is Dictionary<string, object?>), $"{file} holds no mapping");
        }
    }

    [Fact]
    public void The_image_is_multi_stage_non_root_and_runs_the_app_in_exec_form_in_production()
    {
        Assert.Equal(2, Image.Stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Image.Stages[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Image.Stages[1]);
        Assert.Equal("$APP_UID", Image.User);
        Assert.Equal(["dotnet", $"{Image.WorkDir}/Courses.Api.dll"], Image.Entrypoint);
        Assert.Empty(Image.Cmd);
        Assert.Equal("Production", Image.Env["ASPNETCORE_ENVIRONMENT"]);
        // The health check is the app's own probe of its liveness route (curl is not in the runtime image).
        Assert.Equal([.. Image.Entrypoint, "health-probe"], Image.HealthCheck);
        Assert.Equal("/health/live", HealthProbeCommand.Path);
        // The build context is the repository root: every COPY source must exist there, the package stand-in included.
        foreach (var copy in Image.Copies.Where(c => !c.StartsWith("--from", StringComparison.Ordinal)))
            foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
                Assert.True(File.Exists(Path(source)) || Directory.Exists(Path(source)), $"COPY source {source} is missing");
        Assert.Contains(Image.Copies, c => c.StartsWith("build/localfeed/", StringComparison.Ordinal));
        Assert.Contains(Image.Copies, c => c.StartsWith("nuget.config", StringComparison.Ordinal) || c.Contains(" nuget.config ", StringComparison.Ordinal));
        Assert.True(Directory.EnumerateFiles(Path("src", "Courses.Api", "Internal", "Generated"), "*.cs", SearchOption.AllDirectories).Any(),
            "the image compiles the committed generated handler code");
    }

    [Fact]
    public void Compose_kubernetes_and_the_proxy_send_traffic_to_the_port_the_image_listens_on()
    {
        Assert.Equal([ImagePort], Image.Exposed);

        var port = Map(List(ApiContainer()["ports"]).Single());
        Assert.Equal(ImagePort.ToString(System.Globalization.CultureInfo.InvariantCulture), Str(port, "containerPort"));
        Assert.Equal("http", Str(List(At(K8s("service.yaml"), "spec", "ports")).Single(), "targetPort"));
        Assert.Equal("http", Str(port, "name"));

        var nginx = Read("deploy", "proxy", "nginx.conf");
        var upstreams = Regex.Matches(nginx, @"server\s+([\w-]+):(\d+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToArray();
        Assert.Equal(ApiServices.Select(s => (s, ImagePort.ToString(System.Globalization.CultureInfo.InvariantCulture))), upstreams);
        var listen = Regex.Match(nginx, @"listen\s+(\d+);").Groups[1].Value;
        Assert.Contains(List(Service("proxy")["ports"]), p => ((string)p!).EndsWith(":" + listen, StringComparison.Ordinal));
        Assert.Contains("./proxy/nginx.conf:/etc/nginx/nginx.conf:ro", List(Service("proxy")["volumes"]));
    }

    [Fact]
    public void Probes_use_the_apps_health_routes_on_the_named_port()
    {
        var api = ApiContainer();
        Assert.Equal("/health/ready", Str(api, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Str(api, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Str(api, "startupProbe", "httpGet", "path"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            Assert.Equal("http", Str(api, probe, "httpGet", "port"));
        // Compose inherits the image's HEALTHCHECK; the proxy waits for both nodes to be healthy.
        foreach (var name in ApiServices)
        {
            Assert.False(Service(name).ContainsKey("healthcheck"));
            Assert.Equal("service_healthy", Str(Service("proxy"), "depends_on", name, "condition"));
        }
    }

    [Fact]
    public void Every_environment_variable_set_anywhere_is_a_documented_setting_and_every_setting_is_documented()
    {
        var documented = ConfigurationTable().Select(row => row.Env).ToHashSet();
        var settings = AppSettingKeys();
        var tableKeys = ConfigurationTable().Select(row => row.Key).ToHashSet();
        foreach (var key in settings)
            Assert.True(tableKeys.Contains(key), $"{key} is read by the app but missing from the README's configuration table");
        foreach (var (key, env) in ConfigurationTable().Where(row => row.Key.Contains(':')))
        {
            Assert.True(settings.Contains(key), $"the README documents {key}, which the app does not read");
            Assert.StartsWith(key.Replace(":", "__"), env); // a map (Tenancy:Clinics) documents its entries' form
        }

        var set = new Dictionary<string, IEnumerable<string>>
        {
            ["Dockerfile ENV"] = Image.Env.Keys,
            ["k8s ConfigMap"] = Map(K8s("configmap.yaml")["data"]).Keys,
            ["k8s Secret"] = Map(K8s("secret.example.yaml")["stringData"]).Keys,
            ["k8s production ConfigMap"] = Map(YamlDocument("deploy", "k8s", "overlays", "production", "production-config.yaml")["data"]).Keys,
        };
        foreach (var name in ApiServices.Append("db-apply"))
            set[$"compose {name}"] = Map(Service(name)["environment"]).Keys;
        foreach (var (where, names) in set)
            foreach (var env in names)
                Assert.True(documented.Contains(env), $"{where} sets {env}, which the README's configuration table does not document");

        // What the app cannot start without is given everywhere it runs.
        var k8sEnv = set["k8s ConfigMap"].Concat(set["k8s Secret"]).ToHashSet();
        foreach (var required in new[] { "ConnectionStrings__Courses", "Auth__SigningKey" })
        {
            Assert.Contains(required, k8sEnv);
            foreach (var name in ApiServices.Append("db-apply")) Assert.Contains(required, set[$"compose {name}"]);
        }
        // Both refer (envFrom) to the objects that hold them.
        foreach (var container in new[] { ApiContainer(), JobContainer() })
        {
            var from = List(container["envFrom"]).Select(Map).ToArray();
            Assert.Contains(from, f => f.TryGetValue("configMapRef", out var c) && Str(c, "name") == Str(K8s("configmap.yaml"), "metadata", "name"));
            Assert.Contains(from, f => f.TryGetValue("secretRef", out var s) && Str(s, "name") == Str(K8s("secret.example.yaml"), "metadata", "name"));
        }
    }

    /// <summary>Every key the app binds: each settings class with a Section constant, and the connection strings.</summary>
    private static HashSet<string> AppSettingKeys()
    {
        var keys = new HashSet<string> { $"ConnectionStrings:{Persistence.ConnectionStringName}", $"ConnectionStrings:{Persistence.ReplicaConnectionStringName}" };
        foreach (var type in typeof(Persistence).Assembly.GetExportedTypes())
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() is string section)
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                    keys.Add($"{section}:{property.Name}");
        Assert.Contains("Auth:SigningKey", keys);
        return keys;
    }

    [Fact]
    public void Compose_and_kubernetes_run_the_image_the_dockerfile_builds()
    {
        foreach (var name in ApiServices.Append("db-apply"))
        {
            var service = Service(name);
            Assert.StartsWith(ImageName + ":", Str(service, "image"));
            Assert.Equal("..", Str(service, "build", "context"));
            Assert.Equal("deploy/docker/Dockerfile", Str(service, "build", "dockerfile"));
            Assert.True(File.Exists(System.IO.Path.Combine(Path("deploy"), "..", Str(service, "build", "dockerfile"))));
            Assert.Equal("true", Str(service, "read_only"));
            Assert.Contains("/tmp", List(service["tmpfs"]));
        }

        Assert.Equal(ImageName, Str(ApiContainer(), "image"));
        Assert.Equal(ImageName, Str(JobContainer(), "image"));
        var images = List(At(K8s("kustomization.yaml"), "images")).Select(Map).ToArray();
        Assert.Equal(ImageName, Str(images.Single(), "name"));
        var production = YamlDocument("deploy", "k8s", "overlays", "production", "kustomization.yaml");
        Assert.Equal(ImageName, Str(List(production["images"]).Single(), "name"));
    }

    [Fact]
    public void Migrations_run_once_before_the_apis_in_compose_and_as_a_job_in_kubernetes()
    {
        var migrate = Service("db-apply");
        Assert.Equal(["db-apply"], List(migrate["command"]));
        Assert.Equal("no", Str(migrate, "restart"));
        Assert.Equal("service_healthy", Str(migrate, "depends_on", "postgres", "condition"));
        foreach (var name in ApiServices)
        {
            Assert.Equal("service_completed_successfully", Str(Service(name), "depends_on", "db-apply", "condition"));
            Assert.False(Service(name).ContainsKey("command"), "the API runs the image's entrypoint as is");
        }

        Assert.Equal(["db-apply"], List(JobContainer()["args"]));
        Assert.False(ApiContainer().ContainsKey("args"));
        Assert.False(ApiContainer().ContainsKey("command"));
    }

    [Fact]
    public void The_kubernetes_base_is_production_shaped()
    {
        var deployment = K8s("deployment.yaml");
        Assert.True(int.Parse(Str(deployment, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        var labels = Map(At(deployment, "spec", "template", "metadata", "labels"));
        Assert.Equal(Map(At(deployment, "spec", "selector", "matchLabels")), labels);

        var api = ApiContainer();
        foreach (var kind in new[] { "requests", "limits" })
        foreach (var resource in new[] { "cpu", "memory" })
            Assert.False(string.IsNullOrWhiteSpace(Str(api, "resources", kind, resource)));
        Assert.Equal("true", Str(At(deployment, "spec", "template", "spec"), "securityContext", "runAsNonRoot"));
        Assert.Equal("true", Str(api, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Str(api, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], List(At(api, "securityContext", "capabilities", "drop")));
        Assert.Equal("/tmp", Str(List(api["volumeMounts"]).Single(), "mountPath"));

        Assert.Equal(labels, Map(At(K8s("pdb.yaml"), "spec", "selector", "matchLabels")));
        Assert.Equal(labels, Map(At(K8s("service.yaml"), "spec", "selector")));
        var hpa = K8s("hpa.yaml");
        Assert.Equal(("Deployment", Str(deployment, "metadata", "name")), (Str(hpa, "spec", "scaleTargetRef", "kind"), Str(hpa, "spec", "scaleTargetRef", "name")));
        Assert.True(int.Parse(Str(hpa, "spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);

        var kustomization = K8s("kustomization.yaml");
        var resources = List(kustomization["resources"]).Cast<string>().ToArray();
        var manifests = Directory.EnumerateFiles(Path("deploy", "k8s", "base"), "*.yaml").Select(System.IO.Path.GetFileName)
            .Where(f => f != "kustomization.yaml").Order().ToArray();
        Assert.Equal(manifests, resources.Order().ToArray());
        var kinds = resources.Select(r => Str(K8s(r), "kind")).Order().ToArray();
        Assert.Equal(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Job", "PodDisruptionBudget", "Secret", "Service"], kinds);
    }

    [Fact]
    public void Kustomize_renders_the_base_and_the_production_overlay_without_the_example_secret()
    {
        if (!OnPath("kubectl")) Assert.Skip("kubectl is not installed; the structural checks above still ran.");

        var base_ = Kustomize(Path("deploy", "k8s", "base"));
        Assert.Contains(base_, d => Str(d, "kind") == "Secret");

        var production = Kustomize(Path("deploy", "k8s", "overlays", "production"));
        Assert.DoesNotContain(production, d => Str(d, "kind") == "Secret");
        Assert.All(production, d => Assert.Equal("courses", Str(d, "metadata", "namespace")));
        var overlay = Map(List(YamlDocument("deploy", "k8s", "overlays", "production", "kustomization.yaml")["images"]).Single());
        var expected = $"{Str(overlay, "newName")}:{Str(overlay, "newTag")}";
        foreach (var workload in production.Where(d => Str(d, "kind") is "Deployment" or "Job"))
            Assert.Equal(expected, Str(List(At(workload, "spec", "template", "spec", "containers")).Single(), "image"));
        var deployment = production.Single(d => Str(d, "kind") == "Deployment");
        Assert.True(int.Parse(Str(deployment, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        var config = production.Single(d => Str(d, "kind") == "ConfigMap");
        Assert.Equal("Production", Str(config, "data", "ASPNETCORE_ENVIRONMENT"));
    }

    [Fact]
    public void Telemetry_flows_from_the_apis_through_the_collector_to_the_viewers()
    {
        var endpoint = new Uri(Str(Service("api1"), "environment", "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Contains(endpoint.Host, Map(Compose["services"]).Keys);
        var collector = YamlDocument("deploy", "observability", "otel-collector.yaml");
        Assert.EndsWith($":{endpoint.Port}", Str(collector, "receivers", "otlp", "protocols", "grpc", "endpoint"));
        Assert.Contains("./observability/otel-collector.yaml:/etc/otelcol/config.yaml:ro", List(Service(endpoint.Host)["volumes"]));
        var k8sEndpoint = new Uri(Str(K8s("configmap.yaml"), "data", "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal(endpoint.Port, k8sEndpoint.Port);

        var exporters = Map(collector["exporters"]).Keys;
        foreach (var signal in new[] { "traces", "metrics" })
        {
            var pipeline = At(collector, "service", "pipelines", signal);
            Assert.Equal(["otlp"], List(At(pipeline, "receivers")));
            Assert.All(List(At(pipeline, "exporters")), e => Assert.Contains((string)e!, exporters));
            Assert.All(List(At(pipeline, "processors")), p => Assert.Contains((string)p!, Map(collector["processors"]).Keys));
        }

        // Traces to Jaeger over OTLP; metrics scraped by Prometheus from the collector's exporter, shown by Grafana.
        Assert.StartsWith("jaeger:", Str(collector, "exporters", "otlp/jaeger", "endpoint"));
        Assert.Contains("jaeger", Map(Compose["services"]).Keys);
        var metricsPort = Str(collector, "exporters", "prometheus", "endpoint").Split(':').Last();
        var prometheus = YamlDocument("deploy", "observability", "prometheus.yaml");
        Assert.Equal($"{endpoint.Host}:{metricsPort}", Str(List(At(prometheus, "scrape_configs", 0, "static_configs")).Single(), "targets", 0));
        var provider = YamlDocument("deploy", "observability", "grafana", "provisioning", "dashboards", "dashboards.yaml");
        var dashboardPath = Str(List(provider["providers"]).Single(), "options", "path");
        Assert.Contains($"./observability/grafana/dashboards:{dashboardPath}:ro", List(Service("grafana")["volumes"]));
        var datasource = Map(List(YamlDocument("deploy", "observability", "grafana", "provisioning", "datasources", "datasources.yaml")["datasources"])
            .Single(d => Str(d, "type") == "prometheus"));
        Assert.Equal("prometheus", new Uri(Str(datasource, "url")).Host);
    }

    [Fact]
    public void The_dashboard_charts_every_metric_of_the_service_and_only_those()
    {
        var instruments = ServiceInstruments();
        Assert.Equal(5, instruments.Count);
        var expected = instruments.Select(PrometheusName).ToHashSet();

        using var dashboard = Json("deploy", "observability", "grafana", "dashboards", "courses.json");
        var datasourceUid = Str(List(YamlDocument("deploy", "observability", "grafana", "provisioning", "datasources", "datasources.yaml")["datasources"])
            .Single(d => Str(d, "type") == "prometheus"), "uid");
        var exprs = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t =>
            {
                Assert.Equal(datasourceUid, t.GetProperty("datasource").GetProperty("uid").GetString());
                return t.GetProperty("expr").GetString()!;
            }).ToArray();
        var used = exprs.SelectMany(e => Regex.Matches(e, @"\bcourses_\w+").Select(m => Regex.Replace(m.Value, "_(bucket|count|sum)$", ""))).ToHashSet();
        Assert.Equal(expected.Order(), used.Order());

        // The README's metrics table names each instrument, as the service defines it.
        var readme = Read("README.md");
        foreach (var instrument in instruments) Assert.Contains($"`{instrument.Name}`", readme);
    }

    /// <summary>The instruments the service's meter really publishes, read with a MeterListener.</summary>
    private static List<Instrument> ServiceInstruments()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<CoursesMetrics>().BuildServiceProvider();
        var meter = services.GetRequiredService<CoursesMetrics>().Meter;
        var instruments = new List<Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) instruments.Add(instrument);
        };
        listener.Start();
        Assert.Equal(CoursesMetrics.MeterName, meter.Name);
        return instruments;
    }

    /// <summary>The name the collector's Prometheus exporter gives an OpenTelemetry instrument.</summary>
    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s") name += "_seconds";
        var type = instrument.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Counter<>)) name += "_total";
        return name;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
        .Any(dir => File.Exists(System.IO.Path.Combine(dir, program)));

    private static List<Dictionary<string, object?>> Kustomize(string directory)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "kubectl kustomize did not finish");
        Assert.True(process.ExitCode == 0, error.Result);
        var file = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, output.Result);
            return Yaml(file).Select(Map).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
