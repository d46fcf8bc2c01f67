namespace NativeConv.BindGen;

// What the parser found in the header, in declaration order. Types are already spelled as C#
// (this tool only targets C#), so the emitter needs no libclang.

internal sealed record HeaderModel(
    IReadOnlyList<TypeDefinition> Types,
    IReadOnlyList<Constant> Constants,
    IReadOnlyList<Function> Functions);

internal abstract record TypeDefinition(string Name, string? Doc);

/// <summary>A C enum; its values fit in the 32-bit int that C compilers use to store it.</summary>
internal sealed record EnumDefinition(string Name, string? Doc, IReadOnlyList<EnumMember> Members)
    : TypeDefinition(Name, Doc);

internal sealed record EnumMember(string Name, long Value, string? Doc);

/// <summary>A C struct with its sizeof as clang lays it out for the host target.</summary>
internal sealed record StructDefinition(string Name, string? Doc, long Size, IReadOnlyList<Field> Fields)
    : TypeDefinition(Name, Doc);

internal sealed record Field(string Name, string Type, string? Doc);

/// <summary>An object-like macro whose body is a single integer literal.</summary>
internal sealed record Constant(string Name, long Value, string? Doc);

internal sealed record Function(string Name, string ReturnType, IReadOnlyList<Parameter> Parameters, string? Doc);

internal sealed record Parameter(string Name, string Type);
