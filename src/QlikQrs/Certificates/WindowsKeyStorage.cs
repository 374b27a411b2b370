using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Certificates;

/// <summary>
/// Where Windows keeps the private key of a certificate joined from files. SChannel, the TLS of Windows, cannot sign
/// the handshake with an ephemeral key (and .NET Framework has no EphemeralKeySet), so the key goes into a key store:
/// the user's, or the machine's when the user's cannot be opened, as for a service account or a scheduled task whose
/// profile is not loaded. The key is never persisted: imported without PersistKeySet, Windows deletes it again when the
/// certificate is disposed, from whichever store holds it.
/// </summary>
internal static class WindowsKeyStorage
{
    /// <summary>Imports an in-memory PKCS#12 with the given key storage.</summary>
    internal delegate X509Certificate2 Importer(byte[] pkcs12, X509KeyStorageFlags storage);

    /// <summary>What Windows does: the X509Certificate2 constructor.</summary>
    public static readonly Importer Windows = (pkcs12, storage) => new X509Certificate2(pkcs12, (string?)null, storage);

    /// <summary>
    /// The certificate with its key in the user's key store, or else the machine's; <paramref name="note"/> says so
    /// when it is the machine's, for the Verbose stream.
    /// </summary>
    public static X509Certificate2 Import(byte[] pkcs12, Importer import, out string? note)
    {
        note = null;
        CryptographicException userStoreFailure;
        try
        {
            return import(pkcs12, X509KeyStorageFlags.UserKeySet);
        }
        catch (CryptographicException exception)
        {
            userStoreFailure = exception;
        }

        try
        {
            X509Certificate2 certificate = import(pkcs12, X509KeyStorageFlags.MachineKeySet);
            note = $"The private key could not be kept in this user's key store ({userStoreFailure.Message.Trim()}), as happens to a service " +
                "account or a scheduled task whose profile is not loaded; it is kept in the machine's key store instead, and removed from there " +
                "when the certificate is disposed.";
            return certificate;
        }
        catch (CryptographicException machineStoreFailure)
        {
            throw CertificateErrors.KeyStorageFailed(userStoreFailure, machineStoreFailure);
        }
    }
}
