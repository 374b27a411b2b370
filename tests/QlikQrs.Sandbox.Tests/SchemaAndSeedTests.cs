using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using QlikQrs.Generator;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class SchemaAndSeedTests
{
    [Fact]
    public void TheCommittedGeneratedFilesAreWhatTheGeneratorWritesToday()
    {
        string root = RepositoryRoot();
        string spec = Path.Combine(root, "..", "shared", "qrs-spec", QlikQrs.Generator.Program.SpecFileName);
        if (!File.Exists(spec))
        {
            // Only the generator reads Qlik's description; a clone without ../shared has nothing to compare with.
            return;
        }

        var outputs = QlikQrs.Generator.Program.Outputs(JsonNode.Parse(File.ReadAllText(spec))!.AsObject());
        string[] stale = outputs.Where(o => !File.Exists(Path.Combine(root, o.Key)) || File.ReadAllText(Path.Combine(root, o.Key)) != o.Value).Select(o => o.Key).ToArray();
        string[] orphans = Directory.GetFiles(Path.Combine(root, ModelWriter.RelativeFolder)).Select(f => Path.GetRelativePath(root, f)).Where(f => !outputs.ContainsKey(f)).ToArray();

        Assert.True(outputs.Count > 400);
        Assert.True(stale.Length + orphans.Length == 0,
            "Generated files differ from what the generator writes (run dotnet run --project tools/QlikQrs.Generator): " + string.Join(", ", stale.Concat(orphans).Take(10)));
    }

    [Fact]
    public void TheSchemaKnowsEveryEntityFamilyWithItsShapesAndEnumNames()
    {
        QrsSchema schema = QrsSchema.Instance;

        Assert.Equal("38.22.0", schema.Version);
        Assert.True(schema.Families.Count() > 60);
        EntityFamily app = schema.Family("app")!;
        Assert.Equal(("App", "AppCondensed"), (app.Entity, app.Condensed));
        Assert.Contains("name", schema.Type("App").Required);
        Assert.Equal("FinishedSuccess", schema.Enums["TaskExecutionStatus"].NameOf(7));
        Assert.Equal(schema.Family("stream"), schema.FamilyOfType("StreamCondensed"));
    }

    [Fact]
    public void TheSameSeedBuildsTheSameSite()
    {
        var first = new EntityStore(QrsSchema.Instance);
        var second = new EntityStore(QrsSchema.Instance);
        var spec = SeedSpec.Parse("users=300,apps=50,streams=5,tasks=20,tags=10");
        SandboxSeeder.Seed(first, spec);
        SandboxSeeder.Seed(second, spec);

        foreach (string family in new[] { "user", "app", "stream", "reloadtask", "tag" })
        {
            EntityFamily f = QrsSchema.Instance.Family(family)!;
            Assert.Equal(first.List(f).Select(e => e.Value.GetRawText()), second.List(f).Select(e => e.Value.GetRawText()));
        }

        Assert.Equal(300, first.List(QrsSchema.Instance.Family("user")!).Count(u => u.Value.GetProperty("userDirectory").GetString() != UsersSeeder.SyncedDirectory));
        Assert.Throws<ArgumentException>(() => SeedSpec.Parse("widgets=3"));
    }

    [Fact]
    public void TheFirstStreamsAreNamedAfterTheWordsThenNumbered()
    {
        var store = new EntityStore(QrsSchema.Instance);

        SandboxSeeder.Seed(store, SeedSpec.Parse("users=3,streams=12"));

        Assert.Equal(
            new[] { "Finance", "Sales", "Supply", "HR", "Marketing", "Operations", "Risk", "Logistics", "Retail", "Quality", "Finance 2", "Sales 2" },
            store.List(QrsSchema.Instance.Family("stream")!).Select(s => s.Value.GetProperty("name").GetString()));
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "QlikQrs.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository.");
    }
}
