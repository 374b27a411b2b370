using System;
using System.Collections.Generic;
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

        SortedDictionary<string, string> outputs = Outputs(JsonNode.Parse(File.ReadAllText(spec))!.AsObject());
        string[] stale = outputs.Where(o => !File.Exists(Path.Combine(root, o.Key)) || File.ReadAllText(Path.Combine(root, o.Key)) != o.Value).Select(o => o.Key).ToArray();
        string[] orphans = Directory.Exists(Path.Combine(root, ModelWriter.RelativeFolder))
            ? Directory.GetFiles(Path.Combine(root, ModelWriter.RelativeFolder)).Select(f => Path.GetRelativePath(root, f)).Where(f => !outputs.ContainsKey(f)).ToArray()
            : Array.Empty<string>();
        if (args.Contains("--check"))
        {
            Console.WriteLine(stale.Length + orphans.Length == 0 ? "The generated files are current." : "Stale: " + string.Join(", ", stale.Concat(orphans)));
            return stale.Length + orphans.Length == 0 ? 0 : 1;
        }

        foreach (string orphan in orphans)
        {
            File.Delete(Path.Combine(root, orphan));
        }

        foreach (string file in stale)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            File.WriteAllText(Path.Combine(root, file), outputs[file]);
        }

        Console.WriteLine($"Wrote {stale.Length} file(s), removed {orphans.Length}.");
        return 0;
    }

    /// <summary>Every file the generator writes, by path relative to the repository.</summary>
    public static SortedDictionary<string, string> Outputs(JsonObject spec)
    {
        var reader = new SpecReader(spec);
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal) { [SandboxSchema.RelativePath] = SandboxSchema.Write(reader) };
        foreach (var (file, text) in ModelWriter.Write(spec, reader))
        {
            outputs[Path.Combine(ModelWriter.RelativeFolder, file)] = text;
        }

        return outputs;
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
            ["paths"] = new JsonArray(spec.Operations().Select(o => (JsonNode)o).ToArray()),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n") + "\n";
    }
}
