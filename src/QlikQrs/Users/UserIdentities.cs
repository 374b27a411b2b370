using System.ComponentModel;
using QlikQrs.Model;
using QlikQrs.Users;

namespace QlikQrs;

/// <summary>
/// A user: DIR\userid (either part may use * and ?), a user id or display name, the user's id, a User or
/// UserCondensed, or an object with an Id.
/// </summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class UserIdentity : QrsIdentity<User, UserCondensed>
{
    public UserIdentity(object value)
        : base(value)
    {
    }

    internal override string? NameFilter(QrsNamePattern pattern) => new QrsUserName(pattern.Pattern).ServerFilter();

    internal override bool NameMatches(QrsNamePattern pattern, IQrsEntity candidate) => new QrsUserName(pattern.Pattern).IsMatch(candidate);
}

/// <summary>A user directory: its name (wildcards allowed), its id, a UserDirectory or UserDirectoryCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class UserDirectoryIdentity : QrsIdentity<UserDirectory, UserDirectoryCondensed>
{
    public UserDirectoryIdentity(object value)
        : base(value)
    {
    }
}
