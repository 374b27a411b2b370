using System;
using System.Runtime.InteropServices;
using System.Security;

namespace QlikQrs.Licenses;

/// <summary>A license key or control number taken out of its SecureString only to be sent; never logged or shown.</summary>
internal static class QrsSecret
{
    /// <summary>The secret's text; an empty one is QrsLicenseSecretEmpty, naming <paramref name="parameter"/>.</summary>
    public static string Reveal(SecureString secret, string parameter)
    {
        if (secret.Length == 0)
        {
            throw new QrsCommandException("QrsLicenseSecretEmpty", System.Management.Automation.ErrorCategory.InvalidArgument, $"-{parameter} is empty.", parameter,
                "Give the signed license key, or the control number, as Qlik sent it (Read-Host -AsSecureString).");
        }

        IntPtr unmanaged = IntPtr.Zero;
        try
        {
            unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
            return Marshal.PtrToStringUni(unmanaged) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
        }
    }
}
