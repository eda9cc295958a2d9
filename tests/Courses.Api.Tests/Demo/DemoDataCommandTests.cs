using Courses.Api.CommandLine;
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
}
