using System;
using System.Runtime.InteropServices;
using System.Security;

namespace QlikQrs.Certificates;

/// <summary>
/// A password taken out of its SecureString only for as long as a decoder needs the characters, and wiped after.
/// </summary>
internal sealed class Password : IDisposable
{
    private readonly char[]? _characters;

    private Password(char[]? characters) => _characters = characters;

    public static Password None { get; } = new(null);

    /// <summary>Whether the user gave a password at all (an empty one counts: the QMC exports with an empty one).</summary>
    public bool IsGiven => _characters is not null;

    /// <summary>A copy of the characters: the libraries that take them may keep or wipe their array.</summary>
    public char[] Characters() => _characters is null ? Array.Empty<char>() : (char[])_characters.Clone();

    /// <summary>
    /// The password's UTF-8 bytes, one per char. OpenSSL and the BCL derive PEM keys from the UTF-8 bytes of the
    /// password, while BouncyCastle's PEM decoder takes the low byte of each char; handing it the UTF-8 bytes this way
    /// makes a password with 'é' open a key that OpenSSL or .NET encrypted.
    /// </summary>
    public char[] Utf8BytesAsCharacters()
    {
        if (_characters is null)
        {
            return Array.Empty<char>();
        }

        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(_characters);
        try
        {
            var widened = new char[utf8.Length];
            for (int i = 0; i < utf8.Length; i++)
            {
                widened[i] = (char)utf8[i];
            }

            return widened;
        }
        finally
        {
            Array.Clear(utf8, 0, utf8.Length);
        }
    }

    public static Password From(SecureString? secure)
    {
        if (secure is null)
        {
            return None;
        }

        IntPtr unmanaged = IntPtr.Zero;
        try
        {
            unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secure);
            var characters = new char[secure.Length];
            Marshal.Copy(unmanaged, characters, 0, characters.Length);
            return new Password(characters);
        }
        finally
        {
            if (unmanaged != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }

    public void Dispose()
    {
        if (_characters is not null)
        {
            Array.Clear(_characters, 0, _characters.Length);
        }
    }
}
