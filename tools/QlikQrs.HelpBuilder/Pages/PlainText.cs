using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace QlikQrs.HelpBuilder.Pages;

/// <summary>
/// Markdown as the plain text Get-Help shows: code spans and emphasis lose their marks, links keep their text (and a
/// web address in brackets), soft line breaks join a paragraph into one line that the console wraps itself.
/// </summary>
public static class PlainText
{
    public static string Of(ContainerInline? inlines)
    {
        var text = new StringBuilder();
        Append(text, inlines);
        return text.ToString().Trim();
    }

    /// <summary>The paragraphs of a run of blocks: a list item becomes "- item", a code block keeps its lines.</summary>
    public static IEnumerable<string> Paragraphs(IEnumerable<Block> blocks)
    {
        foreach (Block block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    yield return Of(paragraph.Inline);
                    break;
                case HeadingBlock heading:
                    yield return Of(heading.Inline);
                    break;
                case CodeBlock code:
                    yield return CodeOf(code);
                    break;
                case ListBlock list:
                    int number = int.TryParse(list.OrderedStart, out int start) ? start : 1;
                    foreach (ListItemBlock item in list.OfType<ListItemBlock>())
                    {
                        string marker = list.IsOrdered ? $"{number++}." : "-";
                        yield return marker + " " + string.Join(" ", Paragraphs(item));
                    }

                    break;
                case QuoteBlock quote:
                    foreach (string paragraph in Paragraphs(quote))
                    {
                        yield return paragraph;
                    }

                    break;
            }
        }
    }

    public static string CodeOf(CodeBlock code) =>
        string.Join("\n", code.Lines.Lines.Take(code.Lines.Count).Select(line => line.ToString())).TrimEnd();

    public static bool IsWebAddress(string? url) =>
        url is not null && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase));

    private static void Append(StringBuilder text, ContainerInline? inlines)
    {
        if (inlines is null)
        {
            return;
        }

        foreach (Inline inline in inlines)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? "\n" : " ");
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    // Pages hold no HTML; a placeholder such as <host> written without a code span is meant as text.
                    text.Append(html.Tag);
                    break;
                case LinkInline { IsImage: true }:
                    break;
                case LinkInline link:
                    string label = Of(link);
                    text.Append(label);
                    if (IsWebAddress(link.Url) && !string.Equals(label, link.Url, StringComparison.OrdinalIgnoreCase))
                    {
                        text.Append(" (").Append(link.Url).Append(')');
                    }

                    break;
                case ContainerInline container:
                    Append(text, container);
                    break;
            }
        }
    }
}
