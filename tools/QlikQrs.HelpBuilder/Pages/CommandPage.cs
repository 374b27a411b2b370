using System.Collections.Generic;

namespace QlikQrs.HelpBuilder.Pages;

/// <summary>
/// The prose of one cmdlet's page in docs/en-US: everything a person writes. What the code knows (syntax, types,
/// sets, positions, pipeline input) is not read from the page; each text is a list of paragraphs of plain text.
/// </summary>
public sealed record CommandPage(
    string Name,
    string Path,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<PageExample> Examples,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Inputs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<PageLink> RelatedLinks);

/// <summary>An example: its title, its one code block, and the paragraphs that say what it does.</summary>
public sealed record PageExample(string Title, string Code, IReadOnlyList<string> Remarks, int CodeBlocks);

/// <summary>A related link: another help topic (no address) or a web page.</summary>
public sealed record PageLink(string Text, string? Uri);
