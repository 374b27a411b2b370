using System;
using System.Collections.Generic;
using System.Linq;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Serialization;

namespace QlikQrs.HelpBuilder.Pages;

/// <summary>
/// Reads docs/en-US pages in the PlatyPS 1.0 schema: YAML front matter, "# Name", "## SECTION"s, and "### entry"
/// headings inside EXAMPLES, PARAMETERS, INPUTS and OUTPUTS. SYNTAX and the YAML blocks under each parameter are
/// skipped: the cmdlets themselves say what they hold.
/// </summary>
public static class PageReader
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, s_pipeline);

    /// <summary>The front matter's fields (document type, title, ...); empty when the page has none.</summary>
    public static IReadOnlyDictionary<string, string> FrontMatter(MarkdownDocument document)
    {
        if (document.Descendants<YamlFrontMatterBlock>().FirstOrDefault() is not YamlFrontMatterBlock block)
        {
            return new Dictionary<string, string>();
        }

        string yaml = string.Join("\n", block.Lines.Lines.Take(block.Lines.Count).Select(line => line.ToString()));
        var fields = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(yaml) ?? new Dictionary<string, object?>();
        return fields.ToDictionary(f => f.Key, f => Convert.ToString(f.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.OrdinalIgnoreCase);
    }

    public static bool IsCommandPage(MarkdownDocument document) =>
        FrontMatter(document).TryGetValue("document type", out string? type) && string.Equals(type, "cmdlet", StringComparison.OrdinalIgnoreCase);

    public static CommandPage ReadCommand(string path, MarkdownDocument document)
    {
        IReadOnlyList<PageSection> sections = Sections(document);
        string name = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is HeadingBlock title
            ? PlainText.Of(title.Inline)
            : System.IO.Path.GetFileNameWithoutExtension(path);

        PageSection Section(string heading) =>
            sections.FirstOrDefault(s => string.Equals(s.Heading, heading, StringComparison.OrdinalIgnoreCase)) ?? PageSection.Empty(heading);

        return new CommandPage(
            name,
            path,
            string.Join(" ", Section("SYNOPSIS").Paragraphs()),
            Section("DESCRIPTION").Paragraphs(),
            Section("EXAMPLES").Entries.Select(Example).ToList(),
            Entries(Section("PARAMETERS"), e => e.Heading.StartsWith('-'), e => e.Heading.TrimStart('-'), prose: true),
            Entries(Section("INPUTS"), _ => true, e => e.Heading, prose: false),
            Entries(Section("OUTPUTS"), _ => true, e => e.Heading, prose: false),
            Section("NOTES").Paragraphs(),
            Section("RELATED LINKS").Blocks.OfType<ListBlock>().SelectMany(l => l.OfType<ListItemBlock>()).Select(Link).ToList());
    }

    /// <summary>The page split at its "##" headings, each split again at its "###" headings.</summary>
    public static IReadOnlyList<PageSection> Sections(MarkdownDocument document)
    {
        var sections = new List<PageSection>();
        string? sectionHeading = null;
        var sectionBlocks = new List<Block>();
        var entries = new List<PageEntry>();
        string? entryHeading = null;
        var entryBlocks = new List<Block>();

        void CloseEntry()
        {
            if (entryHeading is not null)
            {
                entries.Add(new PageEntry(entryHeading, entryBlocks));
            }

            entryHeading = null;
            entryBlocks = new List<Block>();
        }

        void CloseSection()
        {
            CloseEntry();
            if (sectionHeading is not null)
            {
                sections.Add(new PageSection(sectionHeading, sectionBlocks, entries));
            }

            sectionHeading = null;
            sectionBlocks = new List<Block>();
            entries = new List<PageEntry>();
        }

        foreach (Block block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock:
                case HeadingBlock { Level: 1 }:
                    break;
                case HeadingBlock { Level: 2 } heading:
                    CloseSection();
                    sectionHeading = PlainText.Of(heading.Inline);
                    break;
                case HeadingBlock { Level: 3 } heading when sectionHeading is not null:
                    CloseEntry();
                    entryHeading = PlainText.Of(heading.Inline);
                    break;
                default:
                    (entryHeading is null ? sectionBlocks : entryBlocks).Add(block);
                    break;
            }
        }

        CloseSection();
        return sections;
    }

    private static PageExample Example(PageEntry entry)
    {
        CodeBlock[] code = entry.Blocks.OfType<CodeBlock>().ToArray();
        return new PageExample(
            entry.Heading,
            string.Join("\n\n", code.Select(PlainText.CodeOf)),
            PlainText.Paragraphs(entry.Blocks.Where(b => b is not CodeBlock)).ToList(),
            code.Length);
    }

    private static Dictionary<string, IReadOnlyList<string>> Entries(PageSection section, Func<PageEntry, bool> take, Func<PageEntry, string> key, bool prose)
    {
        var entries = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (PageEntry entry in section.Entries.Where(take))
        {
            // A parameter's YAML block is PlatyPS's copy of what the code says; only its prose is the page's own.
            IEnumerable<Block> blocks = prose ? entry.Blocks.Where(b => b is not FencedCodeBlock) : entry.Blocks;
            entries[key(entry)] = PlainText.Paragraphs(blocks).ToList();
        }

        return entries;
    }

    private static PageLink Link(ListItemBlock item)
    {
        LinkInline? link = item.Descendants<LinkInline>().FirstOrDefault();
        string text = string.Join(" ", PlainText.Paragraphs(item));
        return new PageLink(text, PlainText.IsWebAddress(link?.Url) ? link!.Url : null);
    }
}

/// <summary>A "##" section of a page: the blocks before its first "###", and its "###" entries.</summary>
public sealed record PageSection(string Heading, IReadOnlyList<Block> Blocks, IReadOnlyList<PageEntry> Entries)
{
    public static PageSection Empty(string heading) => new(heading, Array.Empty<Block>(), Array.Empty<PageEntry>());

    public IReadOnlyList<string> Paragraphs() => PlainText.Paragraphs(Blocks).ToList();
}

/// <summary>A "###" entry: an example, a parameter, an input or output type.</summary>
public sealed record PageEntry(string Heading, IReadOnlyList<Block> Blocks);
