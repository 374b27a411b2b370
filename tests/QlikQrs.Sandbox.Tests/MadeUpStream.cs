using System;
using System.IO;
using System.Text;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// A body of a given length made up as it is read, so a test holds no gigabytes; <see cref="Position"/> tells how
/// much of it the client took to send.
/// </summary>
internal abstract class MadeUpStream(long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = (int)Math.Min(count, length - _position);
        Fill(buffer.AsSpan(offset, n), _position);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Writes the bytes that start at <paramref name="at"/>.</summary>
    protected abstract void Fill(Span<byte> bytes, long at);
}

/// <summary>Bytes that vary, as a file's do.</summary>
internal sealed class PatternStream(long length) : MadeUpStream(length)
{
    protected override void Fill(Span<byte> bytes, long at)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((at + i) * 31);
        }
    }
}

/// <summary>A JSON object, <c>{"name": "aaa...a"}</c>, whose one text value makes up the whole length.</summary>
internal sealed class JsonTextStream(long length) : MadeUpStream(length)
{
    private static readonly byte[] s_start = Encoding.ASCII.GetBytes("{\"name\": \"");

    private readonly long _length = length;

    protected override void Fill(Span<byte> bytes, long at)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            long here = at + i;
            bytes[i] = here < s_start.Length ? s_start[here] : here == _length - 2 ? (byte)'"' : here == _length - 1 ? (byte)'}' : (byte)'a';
        }
    }
}
