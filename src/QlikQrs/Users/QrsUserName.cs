using QlikQrs.Model;

namespace QlikQrs.Users;

/// <summary>
/// A user as admins write one: <c>DIR\userid</c> (QRS's user directory and user id, each part may use * and ?), or,
/// without a backslash, a user id or display name.
/// </summary>
public sealed class QrsUserName
{
    private readonly QrsNamePattern? _directory;
    private readonly QrsNamePattern _user;

    public QrsUserName(string text)
    {
        Text = text;
        int split = text.IndexOf('\\');
        _directory = split >= 0 ? new QrsNamePattern(text.Substring(0, split)) : null;
        _user = new QrsNamePattern(split >= 0 ? text.Substring(split + 1) : text);
    }

    public string Text { get; }

    public bool HasWildcards => QrsNamePattern.HasWildcards(Text);

    /// <summary>The QRS filter that lets through at least every user this name stands for; null when none helps.</summary>
    public string? ServerFilter()
    {
        if (_directory is not null)
        {
            return QrsFilterBuilder.And(_directory.ServerFilter("userDirectory").Filter, _user.ServerFilter("userId").Filter);
        }

        string? byId = _user.ServerFilter("userId").Filter;
        string? byName = _user.ServerFilter("name").Filter;
        return byId is null || byName is null ? null : QrsFilterBuilder.Or(byId, byName);
    }

    public bool IsMatch(IQrsEntity entity) => entity switch
    {
        User user => IsMatch(user.UserDirectory, user.UserId, user.Name),
        UserCondensed user => IsMatch(user.UserDirectory, user.UserId, user.Name),
        _ => false,
    };

    private bool IsMatch(string? directory, string? userId, string? name) =>
        _directory is null ? _user.IsMatch(userId) || _user.IsMatch(name) : _directory.IsMatch(directory) && _user.IsMatch(userId);
}
