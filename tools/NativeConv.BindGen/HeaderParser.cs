using System.Globalization;
using System.Runtime.InteropServices;
using static NativeConv.BindGen.LibClang;

namespace NativeConv.BindGen;

/// <summary>Parses the C header with libclang and collects the declarations made in it.</summary>
internal sealed unsafe class HeaderParser
{
    private readonly string fileName;
    private readonly SourceTokens tokens;

    private HeaderParser(string fileName, SourceTokens tokens)
    {
        this.fileName = fileName;
        this.tokens = tokens;
    }

    /// <param name="headerPath">The header to bind.</param>
    /// <param name="builtinIncludeDirectory">
    /// A compiler's own header folder (stddef.h). libclang's package ships none, and without them
    /// size_t silently becomes int.
    /// </param>
    internal static HeaderModel Parse(string headerPath, string builtinIncludeDirectory)
    {
        nint index = clang_createIndex(excludeDeclarationsFromPch: 0, displayDiagnostics: 0);
        try
        {
            nint translationUnit = ParseTranslationUnit(index, headerPath,
                ["-x", "c", "-std=c11", "-isystem", builtinIncludeDirectory]);
            try
            {
                ThrowOnDiagnostics(translationUnit, headerPath);
                var parser = new HeaderParser(Path.GetFileName(headerPath), SourceTokens.Read(translationUnit));
                return parser.Walk(clang_getTranslationUnitCursor(translationUnit));
            }
            finally
            {
                clang_disposeTranslationUnit(translationUnit);
            }
        }
        finally
        {
            clang_disposeIndex(index);
        }
    }

    private static nint ParseTranslationUnit(nint index, string headerPath, string[] arguments)
    {
        nint path = Marshal.StringToCoTaskMemUTF8(headerPath);
        nint[] argv = Array.ConvertAll(arguments, Marshal.StringToCoTaskMemUTF8);
        try
        {
            nint translationUnit;
            int error;
            fixed (nint* args = argv)
            {
                error = clang_parseTranslationUnit2(index, (byte*)path, (byte**)args, argv.Length, null, 0,
                    CXTranslationUnit_DetailedPreprocessingRecord, &translationUnit);
            }
            return error == 0
                ? translationUnit
                : throw new HeaderException($"{headerPath}: libclang could not parse the file (CXErrorCode {error}).");
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
            Array.ForEach(argv, Marshal.FreeCoTaskMem);
        }
    }

    // Warnings count too: a header that is not clean C11 for clang may not mean what its C
    // compiler makes of it, and a missing include degrades types silently.
    private static void ThrowOnDiagnostics(nint translationUnit, string headerPath)
    {
        uint count = clang_getNumDiagnostics(translationUnit);
        if (count == 0)
        {
            return;
        }
        var messages = new List<string>();
        for (uint i = 0; i < count; i++)
        {
            nint diagnostic = clang_getDiagnostic(translationUnit, i);
            messages.Add(Take(clang_formatDiagnostic(diagnostic, clang_defaultDiagnosticDisplayOptions())));
            clang_disposeDiagnostic(diagnostic);
        }
        throw new HeaderException(
            $"{headerPath}: libclang reported {count} diagnostic(s):{Environment.NewLine}"
            + string.Join(Environment.NewLine, messages));
    }

    private HeaderModel Walk(CXCursor translationUnit)
    {
        var types = new List<TypeDefinition>();
        var constants = new List<Constant>();
        var functions = new List<Function>();
        foreach (CXCursor cursor in Children(translationUnit))
        {
            if (clang_Location_isFromMainFile(clang_getCursorLocation(cursor)) == 0)
            {
                continue;
            }
            switch (cursor.kind)
            {
                case CXCursorKind.EnumDecl when clang_isCursorDefinition(cursor) != 0:
                    types.Add(ReadEnum(cursor));
                    break;
                case CXCursorKind.StructDecl when clang_isCursorDefinition(cursor) != 0:
                    types.Add(ReadStruct(cursor));
                    break;
                case CXCursorKind.MacroDefinition:
                    if (ReadConstant(cursor) is Constant constant)
                    {
                        constants.Add(constant);
                    }
                    break;
                case CXCursorKind.FunctionDecl:
                    functions.Add(ReadFunction(cursor));
                    break;
                // Forward declarations and typedefs emit nothing: uses of a typedef are spelled
                // through to what it names.
                case CXCursorKind.EnumDecl or CXCursorKind.StructDecl or CXCursorKind.TypedefDecl
                    or CXCursorKind.MacroExpansion or CXCursorKind.InclusionDirective:
                    break;
                default:
                    throw Unsupported(cursor);
            }
        }
        return new HeaderModel(types, constants, functions);
    }

    private EnumDefinition ReadEnum(CXCursor cursor)
    {
        string name = TagName(cursor);
        if (clang_Type_getSizeOf(clang_getEnumDeclIntegerType(cursor)) != sizeof(int))
        {
            throw new HeaderException($"{Where(cursor)}: enum {name} is not stored as a 32-bit integer.");
        }
        var members = new List<EnumMember>();
        foreach (CXCursor child in Children(cursor))
        {
            if (child.kind != CXCursorKind.EnumConstantDecl)
            {
                throw Unsupported(child);
            }
            long value = clang_getEnumConstantDeclValue(child);
            if (value is < int.MinValue or > int.MaxValue)
            {
                throw new HeaderException($"{Where(child)}: {Spelling(child)} = {value} does not fit in int.");
            }
            members.Add(new EnumMember(Spelling(child), value, tokens.DocComment(child)));
        }
        return new EnumDefinition(name, tokens.DocComment(cursor), members);
    }

    private StructDefinition ReadStruct(CXCursor cursor)
    {
        string name = TagName(cursor);
        var fields = new List<Field>();
        foreach (CXCursor child in Children(cursor))
        {
            if (child.kind != CXCursorKind.FieldDecl)
            {
                throw Unsupported(child);
            }
            if (clang_Cursor_isBitField(child) != 0)
            {
                throw new HeaderException($"{Where(child)}: bit-field {name}.{Spelling(child)} has no C# equivalent.");
            }
            string fieldName = Spelling(child);
            string type = TypeMapper.Map(clang_getCursorType(child), $"{Where(child)}: {name}.{fieldName}");
            fields.Add(new Field(fieldName, type, tokens.DocComment(child)));
        }
        long size = clang_Type_getSizeOf(clang_getCursorType(cursor));
        return new StructDefinition(name, tokens.DocComment(cursor), size, fields);
    }

    // Only integer object-like macros of the library's own prefix are part of the API;
    // the rest (NC_API, include guards, feature switches) configure compilation.
    private Constant? ReadConstant(CXCursor cursor)
    {
        string name = Spelling(cursor);
        if (!name.StartsWith("NC_", StringComparison.Ordinal) || name == "NC_API"
            || clang_Cursor_isMacroFunctionLike(cursor) != 0)
        {
            return null;
        }
        IReadOnlyList<(CXTokenKind Kind, string Text)> body = tokens.MacroBody(cursor);
        return body is [(CXTokenKind.Literal, string literal)] && TryParseInteger(literal, out long value)
            ? new Constant(name, value, tokens.DocComment(cursor))
            : null;
    }

    private Function ReadFunction(CXCursor cursor)
    {
        string name = Spelling(cursor);
        if (clang_isCursorDefinition(cursor) != 0)
        {
            throw new HeaderException($"{Where(cursor)}: {name} has a body in the header; only exported functions can be bound.");
        }
        CXType type = clang_getCursorType(cursor);
        if (type.kind != CXTypeKind.FunctionProto)
        {
            throw new HeaderException($"{Where(cursor)}: {name} has no prototype; declare its parameters, or (void).");
        }
        TypeMapper.RequireCallable(type, $"{Where(cursor)}: {name}");

        var parameters = new List<Parameter>();
        int count = clang_Cursor_getNumArguments(cursor);
        for (uint i = 0; i < count; i++)
        {
            CXCursor argument = clang_Cursor_getArgument(cursor, i);
            string parameterName = Spelling(argument);
            if (parameterName.Length == 0)
            {
                throw new HeaderException($"{Where(cursor)}: parameter {i + 1} of {name} has no name.");
            }
            string where = $"{Where(argument)}: {name}({parameterName})";
            parameters.Add(new Parameter(parameterName, TypeMapper.Map(clang_getCursorType(argument), where)));
        }
        string returnType = TypeMapper.Map(clang_getCursorResultType(cursor), $"{Where(cursor)}: {name} result");
        return new Function(name, returnType, parameters, tokens.DocComment(cursor));
    }

    // The tag doubles as the C# type name. Clang names "typedef enum { ... } name" after its
    // typedef, so only a type with neither name is anonymous here.
    private string TagName(CXCursor cursor) => clang_Cursor_isAnonymous(cursor) == 0
        ? Spelling(cursor)
        : throw new HeaderException($"{Where(cursor)}: give the anonymous type a tag name; the bindings name it by its tag.");

    private static bool TryParseInteger(string literal, out long value)
    {
        string digits = literal.TrimEnd('u', 'U', 'l', 'L');
        bool parsed;
        ulong magnitude;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            parsed = ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude);
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            parsed = digits.All(digit => digit is >= '0' and <= '7');
            magnitude = parsed ? Convert.ToUInt64(digits, 8) : 0;
        }
        else
        {
            parsed = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        }
        value = (long)magnitude;
        return parsed && magnitude <= long.MaxValue;
    }

    private HeaderException Unsupported(CXCursor cursor) =>
        new($"{Where(cursor)}: {Take(clang_getCursorKindSpelling(cursor.kind))} '{Spelling(cursor)}' is not supported by the generator.");

    private string Where(CXCursor cursor) => $"{fileName}:{Position(clang_getCursorLocation(cursor)).Line}";
}
