using System.ComponentModel;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>A custom property definition: its id, its name (wildcards allowed), the definition object, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class CustomPropertyDefinitionIdentity : QrsIdentity<CustomPropertyDefinition, CustomPropertyDefinitionCondensed>
{
    public CustomPropertyDefinitionIdentity(object value)
        : base(value)
    {
    }
}
