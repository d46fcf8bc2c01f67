using static NativeConv.BindGen.LibClang;

namespace NativeConv.BindGen;

/// <summary>Spells a C type as the blittable C# type with the same ABI.</summary>
internal static class TypeMapper
{
    // Their canonical types differ between platforms (int64_t is long on LP64 and long long on
    // LLP64; size_t and uint64_t are both unsigned long on LP64), so they are mapped by name.
    private static readonly Dictionary<string, string> StandardTypedefs = new()
    {
        ["int8_t"] = "sbyte",
        ["uint8_t"] = "byte",
        ["int16_t"] = "short",
        ["uint16_t"] = "ushort",
        ["int32_t"] = "int",
        ["uint32_t"] = "uint",
        ["int64_t"] = "long",
        ["uint64_t"] = "ulong",
        ["size_t"] = "nuint",
        ["ptrdiff_t"] = "nint",
        ["intptr_t"] = "nint",
        ["uintptr_t"] = "nuint",
    };

    /// <param name="type">The type as declared, typedef names intact.</param>
    /// <param name="where">The declaration using the type, for error messages.</param>
    internal static string Map(CXType type, string where)
    {
        CXType bare = StripTypedefs(type, out string? standard);
        if (standard is not null)
        {
            return standard;
        }
        return bare.kind switch
        {
            CXTypeKind.Void => "void",
            CXTypeKind.Char_S or CXTypeKind.Char_U or CXTypeKind.UChar => "byte",
            CXTypeKind.SChar => "sbyte",
            CXTypeKind.Short => "short",
            CXTypeKind.UShort => "ushort",
            CXTypeKind.Int => "int",
            CXTypeKind.UInt => "uint",
            CXTypeKind.LongLong => "long",
            CXTypeKind.ULongLong => "ulong",
            CXTypeKind.Float => "float",
            CXTypeKind.Double => "double",
            CXTypeKind.Enum => Spelling(clang_getTypeDeclaration(bare)),
            CXTypeKind.Record when clang_Type_getSizeOf(bare) >= 0 => Spelling(clang_getTypeDeclaration(bare)),
            CXTypeKind.Pointer => MapPointer(clang_getPointeeType(bare), where),
            CXTypeKind.Long or CXTypeKind.ULong => throw Unsupported(
                type, where, "its size differs between platforms; use a <stdint.h> type"),
            _ => throw Unsupported(type, where, "the generator has no C# mapping for it"),
        };
    }

    private static string MapPointer(CXType pointee, string where)
    {
        CXType bare = StripTypedefs(pointee, out _);
        if (bare.kind == CXTypeKind.FunctionProto)
        {
            return MapFunctionPointer(bare, where);
        }
        if (bare.kind == CXTypeKind.Record && clang_Type_getSizeOf(bare) < 0)
        {
            // Only declared, so the C# side holds pointers to it as handles.
            return "nint";
        }
        return Map(pointee, where) + "*";
    }

    /// <summary>Throws unless the function type can be called as emitted: cdecl, fixed arity.</summary>
    internal static void RequireCallable(CXType function, string where)
    {
        if (clang_getFunctionTypeCallingConv(function) != CXCallingConv.C)
        {
            throw Unsupported(function, where, "only the C calling convention is supported");
        }
        if (clang_isFunctionTypeVariadic(function) != 0)
        {
            throw Unsupported(function, where, "variadic functions cannot be bound");
        }
    }

    private static string MapFunctionPointer(CXType function, string where)
    {
        RequireCallable(function, where);
        int count = clang_getNumArgTypes(function);
        var signature = new List<string>(count + 1);
        for (uint i = 0; i < count; i++)
        {
            signature.Add(Map(clang_getArgType(function, i), where));
        }
        signature.Add(Map(clang_getResultType(function), where));
        return $"delegate* unmanaged[Cdecl]<{string.Join(", ", signature)}>";
    }

    // Peels typedef and elaboration sugar one level at a time, so that names from StandardTypedefs
    // are seen before the platform-specific type they alias, while the sugar of nested types
    // (a function pointer's size_t parameter) is left for the recursive call to see.
    private static CXType StripTypedefs(CXType type, out string? standard)
    {
        while (true)
        {
            switch (type.kind)
            {
                case CXTypeKind.Typedef:
                    if (StandardTypedefs.TryGetValue(Take(clang_getTypedefName(type)), out standard))
                    {
                        return type;
                    }
                    type = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(type));
                    break;
                case CXTypeKind.Elaborated:
                    type = clang_Type_getNamedType(type);
                    break;
                default:
                    standard = null;
                    return type;
            }
        }
    }

    private static HeaderException Unsupported(CXType type, string where, string reason) =>
        new($"{where}: type '{Spelling(type)}' is not supported: {reason}.");
}
