using System;

namespace QlikQrs;

/// <summary>
/// A process-wide hook shared by every import of the module (one per runspace that imports it): attached by the first,
/// detached when the last is removed, so that Remove-Module in one runspace does not pull it from under another.
/// </summary>
internal sealed class SharedHook(Action attach, Action detach)
{
    private readonly object _gate = new();
    private int _holders;

    public void Acquire()
    {
        lock (_gate)
        {
            if (_holders++ == 0)
            {
                attach();
            }
        }
    }

    /// <summary>A release without an acquire (a module removed whose import failed half way) changes nothing.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_holders > 0 && --_holders == 0)
            {
                detach();
            }
        }
    }
}
