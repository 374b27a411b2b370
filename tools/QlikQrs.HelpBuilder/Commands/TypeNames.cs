using System;

namespace QlikQrs.HelpBuilder.Commands;

/// <summary>Type names as help shows them: nullable value types as their value type, arrays with [].</summary>
public static class TypeNames
{
    public static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    public static Type ElementType(Type type) => Unwrap(type.IsArray ? type.GetElementType()! : type);

    public static string FullName(Type type)
    {
        type = Unwrap(type);
        return type.IsArray ? FullName(type.GetElementType()!) + "[]" : type.FullName ?? type.Name;
    }

    public static string ShortName(Type type)
    {
        type = Unwrap(type);
        return type.IsArray ? ShortName(type.GetElementType()!) + "[]" : type.Name;
    }
}
