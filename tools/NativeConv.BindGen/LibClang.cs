using System.Runtime.InteropServices;

namespace NativeConv.BindGen;

// Hand-written mirrors of the part of libclang's C API (clang-c/Index.h) that the parser uses.
// Values and layouts follow Index.h, which keeps them stable across releases.

internal enum CXCursorKind
{
    StructDecl = 2,
    EnumDecl = 5,
    FieldDecl = 6,
    EnumConstantDecl = 7,
    FunctionDecl = 8,
    TypedefDecl = 20,
    MacroDefinition = 501,
    MacroExpansion = 502,
    InclusionDirective = 503,
}

internal enum CXTypeKind
{
    Void = 2,
    Char_U = 4,
    UChar = 5,
    UShort = 8,
    UInt = 9,
    ULong = 10,
    ULongLong = 11,
    Char_S = 13,
    SChar = 14,
    Short = 16,
    Int = 17,
    Long = 18,
    LongLong = 19,
    Float = 21,
    Double = 22,
    Pointer = 101,
    Record = 105,
    Enum = 106,
    Typedef = 107,
    FunctionProto = 111,
    Elaborated = 119,
}

internal enum CXTokenKind
{
    Punctuation = 0,
    Literal = 3,
    Comment = 4,
}

internal enum CXCallingConv
{
    C = 1,
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXString
{
    public void* data;
    public uint private_flags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXCursor
{
    public CXCursorKind kind;
    public int xdata;
    public void* data0;
    public void* data1;
    public void* data2;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXType
{
    public CXTypeKind kind;
    public void* data0;
    public void* data1;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXSourceLocation
{
    public void* ptr_data0;
    public void* ptr_data1;
    public uint int_data;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXSourceRange
{
    public void* ptr_data0;
    public void* ptr_data1;
    public uint begin_int_data;
    public uint end_int_data;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXToken
{
    public uint int_data0;
    public uint int_data1;
    public uint int_data2;
    public uint int_data3;
    public void* ptr_data;
}

/// <summary>A position in the main file: 1-based line and 0-based byte offset.</summary>
internal readonly record struct FilePosition(uint Line, uint Offset);

internal static unsafe partial class LibClang
{
    // Resolved from the libclang.runtime.linux-x64 package's runtimes/linux-x64/native folder.
    private const string Library = "libclang";

    internal const uint CXTranslationUnit_DetailedPreprocessingRecord = 0x01;

    [LibraryImport(Library)]
    internal static partial nint clang_createIndex(int excludeDeclarationsFromPch, int displayDiagnostics);

    [LibraryImport(Library)]
    internal static partial void clang_disposeIndex(nint index);

    [LibraryImport(Library)]
    internal static partial int clang_parseTranslationUnit2(
        nint index, byte* sourceFilename, byte** commandLineArgs, int numCommandLineArgs,
        void* unsavedFiles, uint numUnsavedFiles, uint options, nint* translationUnit);

    [LibraryImport(Library)]
    internal static partial void clang_disposeTranslationUnit(nint translationUnit);

    [LibraryImport(Library)]
    internal static partial uint clang_getNumDiagnostics(nint translationUnit);

    [LibraryImport(Library)]
    internal static partial nint clang_getDiagnostic(nint translationUnit, uint index);

    [LibraryImport(Library)]
    internal static partial uint clang_defaultDiagnosticDisplayOptions();

    [LibraryImport(Library)]
    internal static partial CXString clang_formatDiagnostic(nint diagnostic, uint options);

    [LibraryImport(Library)]
    internal static partial void clang_disposeDiagnostic(nint diagnostic);

    [LibraryImport(Library)]
    internal static partial CXCursor clang_getTranslationUnitCursor(nint translationUnit);

    [LibraryImport(Library)]
    internal static partial uint clang_visitChildren(
        CXCursor parent, delegate* unmanaged<CXCursor, CXCursor, void*, int> visitor, void* clientData);

    [LibraryImport(Library)]
    internal static partial CXString clang_getCursorKindSpelling(CXCursorKind kind);

    [LibraryImport(Library)]
    internal static partial CXString clang_getCursorSpelling(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXSourceLocation clang_getCursorLocation(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXSourceRange clang_getCursorExtent(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXSourceLocation clang_getRangeStart(CXSourceRange range);

    [LibraryImport(Library)]
    internal static partial CXSourceLocation clang_getRangeEnd(CXSourceRange range);

    [LibraryImport(Library)]
    internal static partial void clang_getExpansionLocation(
        CXSourceLocation location, nint* file, uint* line, uint* column, uint* offset);

    [LibraryImport(Library)]
    internal static partial int clang_Location_isFromMainFile(CXSourceLocation location);

    [LibraryImport(Library)]
    internal static partial uint clang_isCursorDefinition(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial uint clang_Cursor_isAnonymous(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial uint clang_Cursor_isBitField(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial uint clang_Cursor_isMacroFunctionLike(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXType clang_getCursorType(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXType clang_getCursorResultType(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial int clang_Cursor_getNumArguments(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);

    [LibraryImport(Library)]
    internal static partial long clang_getEnumConstantDeclValue(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXType clang_getEnumDeclIntegerType(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXCursor clang_getTypeDeclaration(CXType type);

    [LibraryImport(Library)]
    internal static partial CXType clang_getTypedefDeclUnderlyingType(CXCursor cursor);

    [LibraryImport(Library)]
    internal static partial CXString clang_getTypedefName(CXType type);

    [LibraryImport(Library)]
    internal static partial CXType clang_Type_getNamedType(CXType type);

    [LibraryImport(Library)]
    internal static partial CXType clang_getPointeeType(CXType type);

    [LibraryImport(Library)]
    internal static partial CXType clang_getResultType(CXType type);

    [LibraryImport(Library)]
    internal static partial int clang_getNumArgTypes(CXType type);

    [LibraryImport(Library)]
    internal static partial CXType clang_getArgType(CXType type, uint index);

    [LibraryImport(Library)]
    internal static partial uint clang_isFunctionTypeVariadic(CXType type);

    [LibraryImport(Library)]
    internal static partial CXCallingConv clang_getFunctionTypeCallingConv(CXType type);

    [LibraryImport(Library)]
    internal static partial CXString clang_getTypeSpelling(CXType type);

    [LibraryImport(Library)]
    internal static partial long clang_Type_getSizeOf(CXType type);

    [LibraryImport(Library)]
    internal static partial void clang_tokenize(
        nint translationUnit, CXSourceRange range, CXToken** tokens, uint* numTokens);

    [LibraryImport(Library)]
    internal static partial void clang_disposeTokens(nint translationUnit, CXToken* tokens, uint numTokens);

    [LibraryImport(Library)]
    internal static partial CXTokenKind clang_getTokenKind(CXToken token);

    [LibraryImport(Library)]
    internal static partial CXString clang_getTokenSpelling(nint translationUnit, CXToken token);

    [LibraryImport(Library)]
    internal static partial CXSourceRange clang_getTokenExtent(nint translationUnit, CXToken token);

    [LibraryImport(Library)]
    private static partial byte* clang_getCString(CXString text);

    [LibraryImport(Library)]
    private static partial void clang_disposeString(CXString text);

    /// <summary>Copies a libclang string and releases it.</summary>
    internal static string Take(CXString text)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)clang_getCString(text)) ?? "";
        }
        finally
        {
            clang_disposeString(text);
        }
    }

    internal static string Spelling(CXCursor cursor) => Take(clang_getCursorSpelling(cursor));

    internal static string Spelling(CXType type) => Take(clang_getTypeSpelling(type));

    internal static FilePosition Position(CXSourceLocation location)
    {
        uint line, offset;
        clang_getExpansionLocation(location, null, &line, null, &offset);
        return new FilePosition(line, offset);
    }

    internal static List<CXCursor> Children(CXCursor parent)
    {
        var children = new List<CXCursor>();
        GCHandle handle = GCHandle.Alloc(children);
        try
        {
            clang_visitChildren(parent, &CollectChild, (void*)GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return children;
    }

    [UnmanagedCallersOnly]
    private static int CollectChild(CXCursor cursor, CXCursor parent, void* clientData)
    {
        const int continueWithSiblings = 1;
        ((List<CXCursor>)GCHandle.FromIntPtr((nint)clientData).Target!).Add(cursor);
        return continueWithSiblings;
    }
}
