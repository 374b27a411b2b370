using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using QlikQrs.Certificates;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>
/// Where Windows keeps the key of a certificate joined from PEM files: the user's key store, and the machine's when
/// the user's cannot be opened (a service account or scheduled task without a loaded profile). Windows itself is not
/// here, so the import is a seam that records the key storage asked for and fails as Windows would.
/// </summary>
public sealed class WindowsKeyStorageTests : IDisposable
{
    private static readonly byte[] Pkcs12 = [0x30, 0x82];

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly List<X509KeyStorageFlags> _asked = [];

    public WindowsKeyStorageTests()
    {
        _certificate = new CertificateRequest("CN=QlikClient", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    [Fact]
    public void The_user_s_key_store_comes_first_and_is_enough_when_it_opens()
    {
        X509Certificate2 imported = WindowsKeyStorage.Import(Pkcs12, Windows(userStoreOpens: true, machineStoreOpens: true), out string? note);

        Assert.Same(_certificate, imported);
        Assert.Equal(new[] { X509KeyStorageFlags.UserKeySet }, _asked);
        Assert.Null(note);
    }

    [Fact]
    public void Without_a_loaded_profile_the_key_goes_to_the_machine_s_store_and_verbose_says_so()
    {
        X509Certificate2 imported = WindowsKeyStorage.Import(Pkcs12, Windows(userStoreOpens: false, machineStoreOpens: true), out string? note);

        Assert.Same(_certificate, imported);
        // Neither PersistKeySet nor Exportable: Windows deletes the key again when the certificate is disposed.
        Assert.Equal(new[] { X509KeyStorageFlags.UserKeySet, X509KeyStorageFlags.MachineKeySet }, _asked);
        Assert.NotNull(note);
        Assert.Contains("could not be kept in this user's key store (The system cannot find the file specified.)", note);
        Assert.Contains("kept in the machine's key store instead", note);
    }

    [Fact]
    public void When_neither_store_opens_the_error_gives_both_reasons_and_a_way_out()
    {
        QrsCertificateException error = Assert.Throws<QrsCertificateException>(
            () => WindowsKeyStorage.Import(Pkcs12, Windows(userStoreOpens: false, machineStoreOpens: false), out _));

        Assert.Equal("QrsCertificateKeyStorageFailed", error.ErrorId);
        Assert.Contains("(The system cannot find the file specified.)", error.Message);
        Assert.Contains("(Access is denied.)", error.Message);
        Assert.Contains("Import-QrsCertificate -Thumbprint", error.Message);
    }

    [Fact]
    public void Only_a_key_store_failure_falls_back()
    {
        WindowsKeyStorage.Importer broken = (pkcs12, storage) =>
        {
            _asked.Add(storage);
            throw new ArgumentException("not PKCS#12");
        };

        Assert.Throws<ArgumentException>(() => WindowsKeyStorage.Import(Pkcs12, broken, out _));
        Assert.Equal(new[] { X509KeyStorageFlags.UserKeySet }, _asked);
    }

    /// <summary>Windows' import as it behaves with or without the user's and the machine's key stores.</summary>
    private WindowsKeyStorage.Importer Windows(bool userStoreOpens, bool machineStoreOpens) => (pkcs12, storage) =>
    {
        Assert.Same(Pkcs12, pkcs12);
        _asked.Add(storage);
        return storage switch
        {
            X509KeyStorageFlags.UserKeySet when !userStoreOpens => throw new CryptographicException("The system cannot find the file specified."),
            X509KeyStorageFlags.MachineKeySet when !machineStoreOpens => throw new CryptographicException("Access is denied."),
            _ => _certificate,
        };
    };
}
