using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Syntax;
using QlikQrs.HelpBuilder.Pages;

namespace QlikQrs.HelpBuilder.About;

/// <summary>
/// Writes an about_ topic as the plain text Get-Help shows and PowerShell reads its short description from: section
/// names in capitals at the margin, text indented and wrapped to 80 columns, no markdown marks.
/// </summary>
public static class AboutTopicWriter
{
    private const int Width = 80;
    private const int TextIndent = 4;

    public static string Write(string topicName, MarkdownDocument document)
    {
        var text = new StringBuilder();
        string title = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is HeadingBlock h1 ? PlainText.Of(h1.Inline) : topicName;
        text.Append("TOPIC\n");
        Wrap(text, title, TextIndent, TextIndent);
        string section = string.Empty;
        foreach (Block block in document.Where(b => b is not HeadingBlock { Level: 1 } and not Markdig.Extensions.Yaml.YamlFrontMatterBlock))
        {
            if (block is HeadingBlock { Level: 2 } heading)
            {
                section = PlainText.Of(heading.Inline);
            }

            // PowerShell takes an about topic's synopsis from the one line after SHORT DESCRIPTION, so it stays whole.
            if (block is ParagraphBlock paragraph && section.Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(' ', TextIndent).Append(PlainText.Of(paragraph.Inline).Replace('\n', ' ')).Append("\n\n");
                continue;
            }

            WriteBlock(text, block, TextIndent);
        }

        return text.ToString().TrimEnd() + "\n";
    }

    private static void WriteBlock(StringBuilder text, Block block, int indent)
    {
        switch (block)
        {
            case HeadingBlock heading:
                // Sections at the margin, their sub-sections two spaces in, both in capitals as about topics have them.
                if (!text.ToString().EndsWith("\n\n", StringComparison.Ordinal))
                {
                    text.Append('\n');
                }

                text.Append(' ', Math.Min(heading.Level - 2, 1) * 2).Append(PlainText.Of(heading.Inline).ToUpperInvariant()).Append('\n');
                break;
            case ParagraphBlock paragraph:
                foreach (string line in PlainText.Of(paragraph.Inline).Split('\n'))
                {
                    Wrap(text, line, indent, indent);
                }

                text.Append('\n');
                break;
            case CodeBlock code:
                foreach (string line in PlainText.CodeOf(code).Split('\n'))
                {
                    text.Append(' ', indent + 4).Append(line).Append('\n');
                }

                text.Append('\n');
                break;
            case ListBlock list:
                int number = int.TryParse(list.OrderedStart, out int start) ? start : 1;
                foreach (ListItemBlock item in list.OfType<ListItemBlock>())
                {
                    string marker = list.IsOrdered ? $"{number++}. " : "- ";
                    Wrap(text, marker + string.Join(" ", PlainText.Paragraphs(item)), indent, indent + marker.Length);
                }

                text.Append('\n');
                break;
            case QuoteBlock quote:
                foreach (Block inner in quote)
                {
                    WriteBlock(text, inner, indent + 4);
                }

                break;
        }
    }

    private static void Wrap(StringBuilder text, string line, int firstIndent, int indent)
    {
        var current = new StringBuilder(new string(' ', firstIndent));
        bool empty = true;
        foreach (string word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && current.Length + 1 + word.Length > Width)
            {
                text.Append(current).Append('\n');
                current = new StringBuilder(new string(' ', indent));
                empty = true;
            }

            current.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        text.Append(current.ToString().TrimEnd()).Append('\n');
    }
}
