using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;

namespace QlikQrs.Tests.Hostile;

/// <summary>
/// What an adversarial user types, by the kind of parameter it is typed into. Values that only a runspace can make
/// (PSCustomObjects, script blocks, disposed connections, entities) come from <see cref="RunspaceMade"/>.
/// </summary>
public static class HostileValues
{
    public const int LongText = 64 * 1024;

    /// <summary>Text for any string parameter.</summary>
    public static IReadOnlyList<(string Label, object? Value)> Text { get; } = new (string, object?)[]
    {
        ("null", null),
        ("empty", string.Empty),
        ("whitespace", "   "),
        ("tabs and newlines", "\t\r\n"),
        ("64 KB", new string('a', LongText)),
        ("NUL", "a\0b"),
        ("control characters", "\u0001\u0007\u001b[31mred\u007f"),
        ("right-to-left", "\u202Egnp.exe\u202C"),
        ("astral", "\U0001F600\U0001D54F\U0002070E"),
        ("combining", "e\u0301\u0300\u0301"),
        ("wildcards", "*?[]"),
        ("open bracket", "["),
        ("quote", "O'Brien"),
        ("filter injection", "x' or name ne 'y"),
        ("filter parentheses", "name eq 'x') or (1 eq 1"),
        ("path traversal", "../../../../../../etc/passwd"),
        ("windows traversal", @"..\..\..\..\Windows\win.ini"),
        ("file URL", "file:///etc/passwd"),
        ("http URL", "http://evil.example/qrs/app"),
        ("https other host", "https://evil.example:4242/qrs/about"),
        ("UNC", @"\\evil.example\share\x"),
        ("empty guid text", "00000000-0000-0000-0000-000000000000"),
    };

    /// <summary>Arrays for string[] and other array parameters, besides their element's values.</summary>
    public static IReadOnlyList<(string Label, object? Value)> Arrays { get; } = new (string, object?)[]
    {
        ("empty array", Array.Empty<object>()),
        ("array of null", new object?[] { null }),
        ("array with null", new object?[] { "a", null }),
        ("nested array", new object[] { "a", new object[] { "b", new object[] { "c" } } }),
    };

    public static IReadOnlyList<(string Label, object? Value)> Numbers { get; } = new (string, object?)[]
    {
        ("null", null),
        ("zero", 0),
        ("minus one", -1),
        ("int minimum", int.MinValue),
        ("int maximum", int.MaxValue),
        ("long maximum", long.MaxValue),
        ("huge", 1e308),
        ("NaN", double.NaN),
        ("fraction", 1.5),
        ("text", "12abc"),
        ("empty", string.Empty),
    };

    public static IReadOnlyList<(string Label, object? Value)> Guids { get; } = new (string, object?)[]
    {
        ("null", null),
        ("empty guid", Guid.Empty),
        ("unknown guid", Guid.Parse("0badc0de-0000-4000-8000-000000000000")),
        ("not a guid", "not-a-guid"),
        ("empty", string.Empty),
        ("64 KB", new string('a', LongText)),
        ("braced", "{0badc0de-0000-4000-8000-000000000000}"),
    };

    public static IReadOnlyList<(string Label, object? Value)> Switches { get; } = new (string, object?)[]
    {
        ("null", null),
        ("false", false),
        ("text", "yes"),
        ("number", 2),
    };

    public static IReadOnlyList<(string Label, object? Value)> Secure { get; } = new (string, object?)[]
    {
        ("null", null),
        ("empty secure string", new SecureString()),
        ("plain text", "p@ss"),
        ("64 KB secure string", SecureOf(new string('a', LongText))),
        ("NUL secure string", SecureOf("a\0b")),
    };

    /// <summary>
    /// A script that makes the values only a runspace can make; <c>$args[0]</c> is a live connection to be left alone,
    /// <c>$args[1]</c> a certificate folder, <c>$args[2]</c> a folder to make things in. It returns one hashtable:
    /// kind -> ordered label -> value.
    /// </summary>
    public const string RunspaceMade = """
        param($live, $certificates, $folder)
        $circular = @{ name = 'loop' }; $circular.self = $circular
        $list = [System.Collections.ArrayList]::new(); $null = $list.Add($list)
        $deep = @{ name = 'deep' }; for ($i = 0; $i -lt 200; $i++) { $deep = @{ inner = $deep } }
        $deepList = 'x'; for ($i = 0; $i -lt 200; $i++) { $deepList = ,$deepList }
        $loopObject = [pscustomobject]@{ name = 'loop' }; $loopObject.psobject.Properties.Add([psnoteproperty]::new('self', $loopObject))
        $doomed = Connect-QrsServer -ComputerName localhost -Port $live.Port -CertificatePath $certificates -Name 'hostile-disposed' -PassThru
        $doomedTag = @(Get-QrsEntity tag -Connection $doomed)[0]
        Disconnect-QrsServer -Connection $doomed
        $disposedCertificate = Import-QrsCertificate -Path $certificates; $disposedCertificate.Dispose()
        $stream = @(Get-QrsEntity stream -Full)[0]
        $tag = @(Get-QrsEntity tag -Full)[0]
        $dir = [System.IO.DirectoryInfo]::new($folder)
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, 'probe.txt'), 'probe')
        $file = [System.IO.FileInfo]::new([System.IO.Path]::Combine($folder, 'probe.txt'))
        $objects = [ordered]@{
            'null' = $null
            'empty' = ''
            'text' = 'hostile'
            '64 KB' = 'a' * 65536
            'circular hashtable' = $circular
            'circular list' = $list
            'circular object' = $loopObject
            'deep hashtable' = $deep
            'deep list' = $deepList
            'empty array' = @()
            'folder' = $dir
            'file' = $file
            'script block' = { 'hostile' }
            'disposed connection' = $doomed
            'live connection' = $live
            'disposed certificate' = $disposedCertificate
            'type' = [string]
            'stream entity' = $stream
            'tag from a disposed connection' = $doomedTag
        }
        $dictionaries = [ordered]@{
            'null' = $null
            'empty' = @{}
            'circular' = $circular
            'deep' = $deep
            'empty key' = @{ '' = 1 }
            'whitespace key' = @{ ' ' = 1 }
            'injected key' = @{ 'name eq 1 or x' = 1 }
            'NUL key' = @{ "na$([char]0)me" = 1 }
            'number key' = @{ 1 = 2 }
            'hashtable value' = @{ name = @{ a = 1 } }
            'object value' = @{ name = [pscustomobject]@{ a = 1 } }
            'script block value' = @{ name = { 1 } }
            'empty array value' = @{ name = @() }
            'nested array value' = @{ name = @('a', @(1, 2)) }
            'null value' = @{ name = $null }
            'DBNull value' = @{ name = [DBNull]::Value }
            '64 KB value' = @{ name = 'a' * 65536 }
            'circular value' = @{ name = $circular }
            'connection value' = @{ name = $doomed }
            'folder value' = @{ name = $dir }
        }
        $entities = [ordered]@{
            'null' = $null
            'text' = 'hostile'
            'guid' = [guid]'0badc0de-0000-4000-8000-000000000000'
            'hashtable' = @{ id = 'x' }
            'stream entity' = $stream
            'tag from a disposed connection' = $doomedTag
            'circular hashtable' = $circular
        }
        $connections = [ordered]@{
            'null' = $null
            'disposed connection' = $doomed
            'text' = 'hostile'
            'hashtable' = @{ Name = 'x' }
            'certificate' = $disposedCertificate
        }
        $certificateValues = [ordered]@{
            'null' = $null
            'disposed certificate' = $disposedCertificate
            'text' = 'hostile'
            'folder path' = $certificates
            'hashtable' = @{ Thumbprint = 'x' }
        }
        $identities = [ordered]@{
            'hashtable' = @{ Id = 'not-a-guid' }
            'object with junk id' = [pscustomobject]@{ Id = 'junk'; Name = $null }
            'object with another schemaPath' = [pscustomobject]@{ Id = [guid]::NewGuid(); schemaPath = 'Nothing' }
            'script block' = { 'hostile' }
            'circular hashtable' = $circular
            'circular object' = $loopObject
            'disposed connection' = $doomed
            'folder' = $dir
            'stream entity' = $stream
            'tag entity' = $tag
            'tag from a disposed connection' = $doomedTag
        }
        ,@{ Object = $objects; Dictionary = $dictionaries; Entity = $entities; Connection = $connections; Certificate = $certificateValues; Identity = $identities }
        """;

    public static IEnumerable<(string Label, object? Value)> FromRunspace(Hashtable made, string kind) =>
        ((IDictionary)Unwrap(made[kind])!).Cast<DictionaryEntry>().Select(e => ((string)e.Key, Unwrap(e.Value)));

    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;

    private static SecureString SecureOf(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
