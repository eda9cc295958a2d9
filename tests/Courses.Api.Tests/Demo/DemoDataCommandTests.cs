using Courses.Api.CommandLine;
using Alba;
using Courses.Api.Demo;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Courses.Api.Tests.Demo;

public sealed class DemoDataCommandTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task In_production_demo_data_refuses_and_writes_nothing_unless_production_is_allowed_explicitly()
    {
        var production = new HostingEnvironment { EnvironmentName = Environments.Production };

        var refused = await DemoDataCommand.FillAsync(new DemoDataInput { ClientsFlag = 3 }, production, Fixture.Store, Clock);

        Assert.False(refused);
        Assert.Equal(0, await EventCountAsync());

        var allowed = await DemoDataCommand.FillAsync(new DemoDataInput { ClientsFlag = 3, AllowProductionFlag = true }, production,
            Fixture.Store, Clock);

        Assert.True(allowed);
        Assert.True(await EventCountAsync() > 0);
    }

    [Fact]
    public async Task In_development_demo_data_fills_the_clinic_without_the_flag()
    {
        var development = new HostingEnvironment { EnvironmentName = Environments.Development };

        Assert.True(await DemoDataCommand.FillAsync(new DemoDataInput { ClientsFlag = 3 }, development, Fixture.Store, Clock));
        Assert.True(await EventCountAsync() > 0);
    }

    [Fact]
    public async Task The_example_ids_it_prints_are_clients_of_the_clinic_at_the_stage_named_with_their_course()
    {
        var seeded = await DemoClinic.SeedAsync(Fixture.Store, Tokens.Clinic, 40, DemoClinic.DefaultSeed,
            Clock.GetUtcNow(), CancellationToken.None);

        var examples = DemoDataCommand.Examples(seeded.Clients);

        Assert.NotEmpty(examples);
        Assert.Equal(examples.Count, examples.Select(e => e.ClientId).Distinct().Count());
        foreach (var example in examples)
        {
            await As(Roles.Practitioner, s => s.Get.Url($"/api/clients/{example.ClientId}"));
            if (example.CourseId is { } course)
                await As(Roles.Practitioner, s => s.Get.Url($"/api/clients/{example.ClientId}/courses/{course}"));
        }
        Assert.Contains(examples, e => e.CourseId is not null);
    }
}
