using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Schema;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// Every path and method of QRS 38.22's description, called with made-up ids and an empty body: none answers the 404 of
/// a path QRS does not have, none fails with a 5xx other than the 501 of a path the sandbox says it does not serve.
/// </summary>
public sealed class DescriptionWalkTests : IClassFixture<SandboxFixture>
{
    private const string MadeUpId = "0b6b8d5e-5a3c-4f0e-9b1a-1a2b3c4d5e6f";

    private readonly SandboxFixture _sandbox;

    public DescriptionWalkTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary>The description's operations, as the generator wrote them into the sandbox's schema.</summary>
    public static IEnumerable<(string Method, string Path)> Operations() =>
        QrsSchema.Instance.Operations.Select(o => o.Split(' ', 2)).Select(o => (o[0], o[1]));

    [Fact]
    public async Task NoPathOfTheDescriptionAnswersTheGeneric404OrAServerError()
    {
        (string Method, string Path)[] operations = Operations().ToArray();
        Assert.True(operations.Length > 1300, $"The description has {operations.Length} operations.");
        using QrsTestClient client = _sandbox.Client();
        var unanswered = new List<string>();
        var failed = new List<string>();
        var unserved = new List<string>();
        foreach (var (method, path) in operations)
        {
            string called = "qrs" + Regex.Replace(path, @"\{[^}]+\}", MadeUpId);
            JsonNode? body = method is "POST" or "PUT" ? new JsonObject() : null;
            var (status, text) = await client.SendAsync(new HttpMethod(method), called, body);
            if (status == 404 && text == QrsApi.NoSuchPathText)
            {
                unanswered.Add($"{method} {path}");
            }
            else if (status == 501)
            {
                Assert.StartsWith("The sandbox does not serve", text, StringComparison.Ordinal);
                unserved.Add($"{method} {path}");
            }
            else if (status >= 500)
            {
                failed.Add($"{method} {path}: {status} {text}");
            }
        }

        Assert.True(unanswered.Count == 0, $"{unanswered.Count} operations answer the generic 404: " + string.Join(", ", unanswered));
        Assert.True(failed.Count == 0, $"{failed.Count} operations fail: " + string.Join(" | ", failed));
        Assert.Equal(QrsApi.UnservedPaths.Order(StringComparer.Ordinal), unserved.Select(u => u.Split(' ')[1]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task APathQrsDoesNotHaveIsTheGeneric404AndAMissingEntityIsNot()
    {
        using QrsTestClient client = _sandbox.Client();

        var (noPath, noPathText) = await client.SendAsync(HttpMethod.Get, "qrs/servernodeconfiguration/nosuchthing");
        var (noNode, noNodeText) = await client.SendAsync(HttpMethod.Get, $"qrs/servernodeconfiguration/{MadeUpId}");

        Assert.Equal((404, QrsApi.NoSuchPathText), (noPath, noPathText));
        Assert.Equal(404, noNode);
        Assert.NotEqual(QrsApi.NoSuchPathText, noNodeText);
    }

    [Fact]
    public async Task LogArchivesAnswer501SayingTheSandboxDoesNotServeThem()
    {
        using QrsTestClient client = _sandbox.Client();

        var (status, text) = await client.SendAsync(HttpMethod.Post, "qrs/log/archive/Repository", new JsonObject());

        Assert.Equal(501, status);
        Assert.Equal("The sandbox does not serve /qrs/log/archive/Repository: it keeps no log files to archive.", text);
    }
}
