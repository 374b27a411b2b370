using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using QlikQrs.HelpBuilder.Commands;
using QlikQrs.HelpBuilder.Pages;

namespace QlikQrs.HelpBuilder.Maml;

/// <summary>
/// Writes MAML command help, the format Get-Help reads in Windows PowerShell 5.1 and PowerShell 7: the shape of
/// each cmdlet from its code, the words from its page.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace s_msh = "http://msh";
    private static readonly XNamespace s_maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace s_command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace s_dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<(CommandShape Command, CommandPage Page)> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(s_msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(c => Command(c.Command, c.Page))));

    private static XElement Command(CommandShape command, CommandPage page) =>
        new(s_command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", s_maml),
            new XAttribute(XNamespace.Xmlns + "command", s_command),
            new XAttribute(XNamespace.Xmlns + "dev", s_dev),
            new XElement(s_command + "details",
                new XElement(s_command + "name", command.Name),
                new XElement(s_command + "verb", command.Verb),
                new XElement(s_command + "noun", command.Noun),
                Description(new[] { page.Synopsis })),
            Description(page.Description),
            new XElement(s_command + "syntax", command.Sets.Select(set =>
                new XElement(s_command + "syntaxItem",
                    new XElement(s_maml + "name", command.Name),
                    set.Parameters.Select(p => Parameter(command, page, p.Parameter, new[] { p }, inSyntax: true))))),
            new XElement(s_command + "parameters",
                command.Parameters.Select(p => Parameter(command, page, p, command.Uses(p).ToList(), inSyntax: false))),
            new XElement(s_command + "inputTypes", Types(command.InputTypes.DefaultIfEmpty("None"), page.Inputs, s_command + "inputType")),
            new XElement(s_command + "returnValues", Types(command.OutputTypes.DefaultIfEmpty("None"), page.Outputs, s_command + "returnValue")),
            new XElement(s_maml + "alertSet", new XElement(s_maml + "alert", Paragraphs(page.Notes))),
            new XElement(s_command + "examples", page.Examples.Select((example, index) =>
                new XElement(s_command + "example",
                    new XElement(s_maml + "title", $"---------- {ExampleTitle(example, index)} ----------"),
                    new XElement(s_dev + "code", example.Code),
                    // The empty paragraph keeps a blank line between one example's explanation and the next title.
                    new XElement(s_dev + "remarks", Paragraphs(example.Remarks.Append(string.Empty)))))),
            new XElement(s_command + "relatedLinks", page.RelatedLinks.Select(link =>
                new XElement(s_maml + "navigationLink",
                    new XElement(s_maml + "linkText", link.Text),
                    new XElement(s_maml + "uri", link.Uri ?? string.Empty)))));

    /// <summary>
    /// A parameter, in one set's syntax line or in the parameter list. In the list it says what holds in every set it
    /// belongs to: required only when no set can do without it, a position only when every set gives the same one.
    /// </summary>
    private static XElement Parameter(CommandShape command, CommandPage page, ParameterShape parameter, IReadOnlyList<SetParameter> uses, bool inSyntax)
    {
        bool required = uses.Count > 0 && uses.All(u => u.Mandatory);
        int?[] positions = uses.Select(u => u.Position).Distinct().ToArray();
        string position = positions.Length == 1 && positions[0] is int p ? p.ToString(CultureInfo.InvariantCulture) : "named";
        var pipeline = new List<string>();
        if (uses.Any(u => u.ByPropertyName))
        {
            pipeline.Add("ByPropertyName");
        }

        if (uses.Any(u => u.ByValue))
        {
            pipeline.Add("ByValue");
        }

        var element = new XElement(s_command + "parameter",
            new XAttribute("required", Flag(required)),
            new XAttribute("variableLength", Flag(parameter.Type.IsArray)),
            new XAttribute("globbing", Flag(parameter.SupportsWildcards)),
            new XAttribute("pipelineInput", pipeline.Count == 0 ? "False" : $"True ({string.Join(", ", pipeline)})"),
            new XAttribute("position", position),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(s_maml + "name", parameter.Name),
            Description(page.Parameters.TryGetValue(parameter.Name, out IReadOnlyList<string>? text) ? text : new List<string>()));

        if (parameter.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(s_command + "parameterValueGroup", parameter.AcceptedValues.Select(v =>
                new XElement(s_command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }

        if (!(inSyntax && parameter.IsSwitch))
        {
            element.Add(new XElement(s_command + "parameterValue",
                new XAttribute("required", Flag(!parameter.IsSwitch)),
                new XAttribute("variableLength", Flag(parameter.Type.IsArray)),
                TypeNames.ShortName(parameter.Type)));
        }

        element.Add(
            new XElement(s_dev + "type", new XElement(s_maml + "name", TypeNames.FullName(parameter.Type)), new XElement(s_maml + "uri")),
            new XElement(s_dev + "defaultValue", parameter.DefaultValue ?? (parameter.IsSwitch ? "False" : "None")));
        return element;
    }

    private static IEnumerable<XElement> Types(IEnumerable<string> names, IReadOnlyDictionary<string, IReadOnlyList<string>> text, XName element) =>
        names.Select(name => new XElement(element,
            new XElement(s_dev + "type", new XElement(s_maml + "name", name), new XElement(s_maml + "uri")),
            Description(text.TryGetValue(name, out IReadOnlyList<string>? paragraphs) ? paragraphs : new List<string>())));

    private static string ExampleTitle(PageExample example, int index) =>
        example.Title.Length > 0 ? example.Title : $"Example {index + 1}";

    private static XElement Description(IEnumerable<string> paragraphs) => new(s_maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(s_maml + "para", p));

    private static string Flag(bool value) => value ? "true" : "false";
}
