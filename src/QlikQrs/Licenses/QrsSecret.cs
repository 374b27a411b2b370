using System;
using System.Runtime.InteropServices;
using System.Security;

namespace QlikQrs.Licenses;

/// <summary>A license key or control number taken out of its SecureString only to be sent; never logged or shown.</summary>
internal static class QrsSecret
{
    public static string Reveal(SecureString secret)
    {
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
