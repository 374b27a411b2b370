using System;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs.Commands;

/// <summary>A cmdlet on one entity family, named by -Type or by the type of the objects it is given.</summary>
public abstract class QrsEntityCmdlet : QrsConnectedCmdlet
{
    protected QrsEntityFamily ResolveFamily(string type, QrsOperations needed)
    {
        QrsEntityFamily? family = QrsEntityFamilies.Find(type.Trim('/'));
        if (family is null)
        {
            string[] near = QrsEntityFamilies.All.Select(f => f.Name)
                .Where(n => n.IndexOf(type, StringComparison.OrdinalIgnoreCase) >= 0 || type.IndexOf(n, StringComparison.OrdinalIgnoreCase) >= 0).Take(5).ToArray();
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"QRS has no entity type '{type}'." + (near.Length > 0 ? $" Did you mean {string.Join(", ", near)}?" : " Press Tab after -Type to see them.")),
                "QrsUnknownEntityType", ErrorCategory.InvalidArgument, type));
        }

        if (!family!.Supports(needed))
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSNotSupportedException($"QRS does not offer '{needed}' for {family.Name} (it offers {family.Operations})."),
                "QrsOperationNotSupported", ErrorCategory.NotImplemented, type));
        }

        return family;
    }

    protected QrsEntityFamily FamilyOf(QrsEntity entity, QrsOperations needed) =>
        ResolveFamily(QrsEntityFamilies.OfType(entity.GetType())?.Name ?? entity.GetType().Name, needed);

    protected static Guid IdOf(QrsEntity entity) =>
        entity.GetType().GetProperty("Id")?.GetValue(entity) is Guid id && id != Guid.Empty
            ? id
            : throw new PSArgumentException($"The {entity.GetType().Name} '{entity}' has no id; get it from QRS first.");
}
