using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig.Syntax;
using QlikQrs.HelpBuilder.About;
using QlikQrs.HelpBuilder.Commands;
using QlikQrs.HelpBuilder.Maml;
using QlikQrs.HelpBuilder.Pages;

namespace QlikQrs.HelpBuilder;

/// <summary>
/// <c>build --module &lt;staged manifest&gt; --docs &lt;docs/en-US&gt; --out &lt;staged en-US folder&gt;</c> writes the MAML of every
/// exported cmdlet and every about_ topic into --out, and nothing else stays there. Where a page and its cmdlet
/// disagree it prints a build warning naming the page; the tests fail on the same mismatch.
/// <c>update --module &lt;staged manifest&gt; --docs &lt;docs/en-US&gt;</c> refreshes the pages' syntax and parameter blocks
/// from the cmdlets and writes a page to fill in for each cmdlet that has none (what PlatyPS does, for those without it).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string verb = args.Length > 0 ? args[0] : string.Empty;
        Dictionary<string, string> options = Options(args.Skip(1).ToArray());
        bool build = verb == "build" && options.ContainsKey("out");
        if (!(build || verb == "update") || !options.TryGetValue("module", out string? manifest) || !options.TryGetValue("docs", out string? docs))
        {
            Console.Error.WriteLine("Usage: QlikQrs.HelpBuilder build --module <staged QlikQrs.psd1> --docs <docs/en-US> --out <staged en-US folder>");
            Console.Error.WriteLine("       QlikQrs.HelpBuilder update --module <staged QlikQrs.psd1> --docs <docs/en-US>");
            return 2;
        }

        try
        {
            IReadOnlyList<CommandShape> commands = ModuleReader.ReadCmdlets(Path.GetFullPath(manifest));
            if (build)
            {
                Build(commands, Path.GetFullPath(docs), Path.GetFullPath(options["out"]));
            }
            else
            {
                Update(commands, Path.GetFileNameWithoutExtension(manifest), Path.GetFullPath(docs));
            }

            return 0;
        }
        catch (Exception exception)
        {
            Console.WriteLine($"{manifest}: error QRSHELP0: the help could not be {(build ? "built" : "updated")}: {exception.Message}");
            return 1;
        }
    }

    private static void Update(IReadOnlyList<CommandShape> commands, string moduleName, string docs)
    {
        foreach (CommandShape command in commands)
        {
            string path = Path.Combine(docs, command.Name + ".md");
            bool exists = File.Exists(path);
            string page = exists ? PageUpdater.Update(File.ReadAllText(path), command) : PageUpdater.NewPage(command, moduleName, DateTime.Today);
            if (!exists || page != File.ReadAllText(path))
            {
                File.WriteAllText(path, page, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                Console.WriteLine($"{(exists ? "Updated" : "New page to fill in:")} {path}");
            }
        }
    }

    private static void Build(IReadOnlyList<CommandShape> commands, string docs, string output)
    {
        var pages = new Dictionary<string, CommandPage>(StringComparer.OrdinalIgnoreCase);
        var written = new List<string>();
        Directory.CreateDirectory(output);

        foreach (string path in Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            try
            {
                MarkdownDocument document = PageReader.Parse(File.ReadAllText(path));
                if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    written.Add(WriteText(output, name + ".help.txt", AboutTopicWriter.Write(name, document)));
                }
                else if (PageReader.IsCommandPage(document))
                {
                    CommandPage page = PageReader.ReadCommand(path, document);
                    pages[page.Name] = page;
                    if (!commands.Any(c => c.Name.Equals(page.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        Warn(path, $"{page.Name} is not a cmdlet the module exports.");
                    }
                }
            }
            catch (YamlDotNet.Core.YamlException exception)
            {
                throw new InvalidDataException($"{path}: the front matter is not valid YAML: {exception.Message}", exception);
            }
        }

        var documented = new List<(CommandShape Command, CommandPage Page)>();
        foreach (CommandShape command in commands)
        {
            if (!pages.TryGetValue(command.Name, out CommandPage? page))
            {
                Warn(Path.Combine(docs, command.Name + ".md"), $"{command.Name} has no page; Get-Help shows only its syntax. 'QlikQrs.HelpBuilder update' writes one to fill in.");
                continue;
            }

            foreach (string problem in PageCheck.Problems(command, page))
            {
                Warn(page.Path, problem);
            }

            documented.Add((command, page));
        }

        foreach (var helpFile in documented.GroupBy(d => d.Command.HelpFileName))
        {
            var maml = new StringBuilder();
            using (var writer = new Utf8StringWriter(maml))
            {
                MamlWriter.Write(helpFile).Save(writer);
            }

            written.Add(WriteText(output, helpFile.Key, maml.ToString()));
        }

        // The folder is the build's alone: a topic or help file that no page makes any more must not ship.
        foreach (string stale in Directory.GetFiles(output).Where(f => !written.Contains(f, StringComparer.Ordinal)))
        {
            File.Delete(stale);
        }
    }

    // Written every time, also when unchanged: the build compares the files' times with the pages' to skip this step.
    private static string WriteText(string folder, string fileName, string text)
    {
        string path = Path.Combine(folder, fileName);
        File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private static void Warn(string path, string message) => Console.WriteLine($"{path}: warning QRSHELP1: {message}");

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder)
    {
        public override Encoding Encoding => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    }
}
