using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Utilities.IO.Pem;

namespace QlikQrs.Certificates;

/// <summary>
/// The PEM blocks of one file, or its raw bytes when it is DER (root.cer from a Windows-format export).
/// </summary>
/// <remarks>
/// BouncyCastle reads the armour on both targets: net472 has no PEM API at all, and the BCL's PemEncoding (net5+)
/// rejects the Proc-Type/DEK-Info headers of OpenSSL's legacy encrypted keys, which QlikQrs must read.
/// </remarks>
internal sealed class PemFile
{
    private PemFile(string path, byte[] bytes, IReadOnlyList<PemObject> blocks)
    {
        Path = path;
        Bytes = bytes;
        Blocks = blocks;
    }

    public string Path { get; }

    public byte[] Bytes { get; }

    public IReadOnlyList<PemObject> Blocks { get; }

    public IEnumerable<PemObject> Certificates => Blocks.Where(b => b.Type == "CERTIFICATE" || b.Type == "X509 CERTIFICATE" || b.Type == "TRUSTED CERTIFICATE");

    public IEnumerable<PemObject> PrivateKeys => Blocks.Where(PrivateKeyReader.IsPrivateKey);

    public static PemFile Read(string path)
    {
        byte[] bytes = CertificateFile.ReadAllBytes(path);
        if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw CertificateErrors.FileEmpty(path);
        }

        if (!ContainsArmour(bytes))
        {
            return new PemFile(path, bytes, Array.Empty<PemObject>());
        }

        // StreamReader drops a UTF-8 (or UTF-16) byte order mark that would hide the first BEGIN line.
        string text;
        using (var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            text = reader.ReadToEnd();
        }

        var blocks = new List<PemObject>();
        try
        {
            using var pem = new PemReader(new StringReader(text));
            for (PemObject? block = pem.ReadPemObject(); block is not null; block = pem.ReadPemObject())
            {
                if (block.Content.Length == 0)
                {
                    throw CertificateErrors.Corrupt(path, $"'{block.Type}' block");
                }

                blocks.Add(block);
            }
        }
        catch (Exception exception) when (exception is not QrsCertificateException)
        {
            // BouncyCastle reports broken armour and base64 with IOException, FormatException and friends alike.
            throw CertificateErrors.Corrupt(path, "PEM data", exception);
        }

        return new PemFile(path, bytes, blocks);
    }

    private static readonly byte[] s_armour = Encoding.ASCII.GetBytes("-----BEGIN ");

    private static bool ContainsArmour(byte[] bytes)
    {
        for (int start = 0; start <= bytes.Length - s_armour.Length; start++)
        {
            int matched = 0;
            while (matched < s_armour.Length && bytes[start + matched] == s_armour[matched])
            {
                matched++;
            }

            if (matched == s_armour.Length)
            {
                return true;
            }
        }

        return false;
    }
}
