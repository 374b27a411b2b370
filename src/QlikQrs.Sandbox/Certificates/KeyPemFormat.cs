namespace QlikQrs.Sandbox.Certificates;

/// <summary>The private key encodings an administrator may hold a QRS client key in.</summary>
public enum KeyPemFormat
{
    /// <summary>RSA: PKCS#1 <c>RSA PRIVATE KEY</c>, what the QMC writes. EC: SEC1 <c>EC PRIVATE KEY</c>.</summary>
    Traditional,

    /// <summary>PKCS#8 <c>PRIVATE KEY</c>.</summary>
    Pkcs8,

    /// <summary>PKCS#8 <c>ENCRYPTED PRIVATE KEY</c>, PBES2 with PBKDF2-SHA256 and AES-256-CBC.</summary>
    EncryptedPkcs8Aes256,

    /// <summary>PKCS#8 <c>ENCRYPTED PRIVATE KEY</c>, PBES2 with PBKDF2-SHA256 and DES-EDE3-CBC.</summary>
    EncryptedPkcs8TripleDes,

    /// <summary>OpenSSL's legacy encryption of the traditional form: <c>Proc-Type: 4,ENCRYPTED</c>, <c>DEK-Info: DES-EDE3-CBC</c>.</summary>
    LegacyDesEde3Cbc,

    /// <summary>Legacy encryption with <c>DEK-Info: AES-128-CBC</c>.</summary>
    LegacyAes128Cbc,

    /// <summary>Legacy encryption with <c>DEK-Info: AES-256-CBC</c>.</summary>
    LegacyAes256Cbc,
}
