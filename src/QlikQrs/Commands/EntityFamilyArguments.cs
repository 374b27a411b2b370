using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>The entity family a generic entity cmdlet works on: named by -Type, or by the type of the objects it is given.</summary>
internal static class EntityFamilyArguments
{
    public static QrsEntityFamily ResolveFamily(string type, QrsOperations needed)
    {
        QrsEntityFamily? family = QrsEntityFamilies.Find(type.Trim('/'));
        if (family is null)
        {
            string[] near = QrsEntityFamilies.All.Select(f => f.Name)
                .Where(n => n.IndexOf(type, StringComparison.OrdinalIgnoreCase) >= 0 || type.IndexOf(n, StringComparison.OrdinalIgnoreCase) >= 0).Take(5).ToArray();
            throw new QrsCommandException("QrsUnknownEntityType", ErrorCategory.InvalidArgument,
                $"QRS has no entity type '{type}'." + (near.Length > 0 ? $" Did you mean {string.Join(", ", near)}?" : string.Empty), type,
                "Press Tab after -Type to see them.");
        }

        if (!family.Supports(needed))
        {
            throw new QrsCommandException("QrsOperationNotSupported", ErrorCategory.NotImplemented,
                $"QRS does not offer '{needed}' for {family.Name} (it offers {family.Operations}).", type);
        }

        return family;
    }

    public static QrsEntityFamily FamilyOf(QrsEntity entity, QrsOperations needed) =>
        ResolveFamily(QrsEntityFamilies.OfType(entity.GetType())?.Name ?? entity.GetType().Name, needed);

    public static Guid IdOf(QrsEntity entity) =>
        (entity as IQrsEntity)?.Id is Guid id && id != Guid.Empty
            ? id
            : throw new QrsCommandException("QrsEntityWithoutId", ErrorCategory.InvalidArgument,
                $"The {entity.GetType().Name} '{entity}' has no id.", entity, "Get it from QRS first (Get-QrsEntity), or give its id.");

    /// <summary>-Where's conditions as a filter; values that cannot be written in QRS's filter language are refused.</summary>
    public static string Conditions(IDictionary where)
    {
        try
        {
            return QrsFilterBuilder.FromConditions(where);
        }
        catch (ArgumentException exception)
        {
            throw new QrsCommandException("QrsInvalidFilter", ErrorCategory.InvalidArgument, exception.Message, where);
        }
    }
}
