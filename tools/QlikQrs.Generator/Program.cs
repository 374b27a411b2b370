using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QlikQrs.Generator;

public static class Program
{
    public const string SpecFileName = "qrs-openapi-main-38.22.0.json";

    /// <summary>
    /// dotnet run --project tools/QlikQrs.Generator [-- --spec &lt;file&gt;] [--check]
    /// Writes src/QlikQrs.Sandbox/Schema/QrsSchema.json; with --check, only tells whether the committed file is current.
    /// </summary>
    public static int Main(string[] args)
    {
        string root = FindRepositoryRoot();
        int specIndex = Array.IndexOf(args, "--spec");
        string spec = specIndex >= 0 && specIndex + 1 < args.Length
            ? args[specIndex + 1]
            : Path.Combine(root, "..", "shared", "qrs-spec", SpecFileName);
        if (!File.Exists(spec))
        {
            Console.Error.WriteLine($"The QRS API description is not at {Path.GetFullPath(spec)}; give it with --spec <file>.");
            return 2;
        }

        string schema = SandboxSchema.Write(new SpecReader(JsonNode.Parse(File.ReadAllText(spec))!.AsObject()));
        string target = Path.Combine(root, SandboxSchema.RelativePath);
        if (args.Contains("--check"))
        {
            bool current = File.Exists(target) && File.ReadAllText(target) == schema;
            Console.WriteLine(current ? $"{SandboxSchema.RelativePath} is current." : $"{SandboxSchema.RelativePath} differs from what the generator writes.");
            return current ? 0 : 1;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, schema);
        Console.WriteLine($"Wrote {SandboxSchema.RelativePath}.");
        return 0;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "QlikQrs.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the generator from inside the QlikQrs repository.");
    }
}

/// <summary>The sandbox's knowledge of QRS: entity families, their shapes, required fields and enum names.</summary>
public static class SandboxSchema
{
    public static readonly string RelativePath = Path.Combine("src", "QlikQrs.Sandbox", "Schema", "QrsSchema.json");

    public static string Write(SpecReader spec)
    {
        (JsonObject types, JsonObject enums) = spec.Definitions();
        var document = new JsonObject
        {
            ["generatedFrom"] = Program.SpecFileName,
            ["version"] = spec.Version,
            ["families"] = new JsonArray(spec.Families().ToArray<JsonNode>()),
            ["types"] = types,
            ["enums"] = enums,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n") + "\n";
    }
}
