using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>The typed client as a program uses it: no PowerShell, a connection from a QMC export folder.</summary>
public sealed class QrsClientTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qlikqrs-core-").FullName;
    private SandboxServer _server = null!;
    private QrsConnection _connection = null!;

    private QrsClient Client => _connection.Client;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { CertificatesFolder = Path.Combine(_folder, "certs") });
        SandboxSeeder.Seed(_server.Store, new SeedSpec(Users: 10, Apps: 12, Streams: 3, Tags: 4));
        _connection = QrsConnection.Open("localhost", QrsCertificate.FromFolder(_server.CertificatesFolder), _server.Port);
    }

    public async Task DisposeAsync()
    {
        _connection.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ListsAreTypedStreamedAndRememberTheirConnection()
    {
        var streams = new List<StreamCondensed>();
        await foreach (StreamCondensed stream in Client.ListAsync<StreamCondensed>(new QrsQuery(OrderBy: "name")))
        {
            streams.Add(stream);
        }

        Assert.Equal(new[] { "Finance", "Sales", "Supply" }, streams.Select(s => s.Name));
        Assert.All(streams, s => Assert.Same(_connection, s.Connection));
        App app = await Client.GetAsync<App>((await FirstAsync(Client.ListAsync<AppCondensed>())).Id!.Value);
        Assert.Same(_connection, app.Owner!.Connection);
    }

    [Fact]
    public async Task EntitiesAreCreatedChangedCountedAndDeleted()
    {
        QrsEntityFamily tags = QrsEntityFamilies.OfType(typeof(Tag))!;
        string name = "Client " + Guid.NewGuid();
        var tag = (Tag)await Client.CreateAsync(tags, new Tag { Name = name });
        tag.Name = name + " changed";
        var saved = (Tag)await Client.UpdateAsync(tags, tag.Id!.Value, tag);
        Assert.Equal(name + " changed", saved.Name);
        Assert.Equal(1, await Client.CountAsync(tags, $"name eq '{name} changed'"));

        QrsRequestException stale = await Assert.ThrowsAsync<QrsRequestException>(() => Client.UpdateAsync(tags, tag.Id!.Value, tag));
        Assert.Equal("QrsConflict", stale.ErrorId);

        await Client.DeleteAsync(tags, tag.Id!.Value);
        QrsRequestException gone = await Assert.ThrowsAsync<QrsRequestException>(() => Client.GetAsync<Tag>(tag.Id!.Value));
        Assert.Equal("QrsNotFound", gone.ErrorId);
    }

    [Fact]
    public async Task AnAppGoesUpIsPublishedCopiedAndComesBackDownWhole()
    {
        string qvf = Path.Combine(_folder, "client.qvf");
        byte[] content = new byte[200_000];
        new Random(3).NextBytes(content);
        await File.WriteAllBytesAsync(qvf, content);
        long reported = 0;

        App app = await Client.UploadAppAsync(new FileInfo(qvf), "Client upload", progress: new Progress<long>(n => reported = n));
        StreamCondensed finance = await FirstAsync(Client.ListAsync<StreamCondensed>(new QrsQuery("name eq 'Finance'")));
        App published = await Client.PublishAppAsync(app.Id!.Value, finance.Id!.Value);
        App copy = await Client.CopyAppAsync(published.Id!.Value, "Client copy");
        FileInfo exported = await Client.ExportAppAsync(copy.Id!.Value, Path.Combine(_folder, "copy.qvf"));

        Assert.True(published.Published);
        Assert.Equal("Finance", published.Stream!.Name);
        Assert.Equal(content, await File.ReadAllBytesAsync(exported.FullName));
        Assert.True(reported > 0);
    }

    [Fact]
    public async Task IdentitiesResolveByNamePatternAndSayWhatIsMissingOrAmbiguous()
    {
        var byPattern = new List<IQrsEntity>();
        await foreach (IQrsEntity stream in QrsIdentityResolver.ResolveAsync(Client, new StreamIdentity("F?n*")))
        {
            byPattern.Add(stream);
        }

        Assert.Equal("Finance", Assert.IsAssignableFrom<IQrsNamedEntity>(Assert.Single(byPattern)).Name);
        QrsCommandException missing = await Assert.ThrowsAsync<QrsCommandException>(() => QrsIdentityResolver.ResolveOneAsync(Client, new StreamIdentity("Nowhere")));
        Assert.Equal("QrsStreamNotFound", missing.ErrorId);
        QrsCommandException ambiguous = await Assert.ThrowsAsync<QrsCommandException>(() => QrsIdentityResolver.ResolveOneAsync(Client, new StreamIdentity("*")));
        Assert.Equal("QrsStreamAmbiguous", ambiguous.ErrorId);
        Assert.Contains("'Finance'", ambiguous.Message);
    }

    [Fact]
    public async Task AnotherSitesUrlIsRefusedBeforeAnythingIsSent()
    {
        _server.Requests.Clear();

        QrsRequestException refused = await Assert.ThrowsAsync<QrsRequestException>(() => Client.ExportAppAsync(Guid.NewGuid(), Path.Combine(_folder, "x.qvf")));

        Assert.Equal("QrsNotFound", refused.ErrorId);
        QrsRequestException foreign = await Assert.ThrowsAsync<QrsRequestException>(() => Client.SendAsync(System.Net.Http.HttpMethod.Get, "https://example.invalid/qrs/about", null, default));
        Assert.Equal("QrsForeignUrl", foreign.ErrorId);
        Assert.DoesNotContain(_server.Requests.Snapshot(), r => r.Path.Contains("example", StringComparison.Ordinal));
    }

    private static async Task<T> FirstAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (T item in items)
        {
            return item;
        }

        throw new InvalidOperationException("The list is empty.");
    }
}
