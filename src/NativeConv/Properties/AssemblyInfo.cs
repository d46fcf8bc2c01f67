using System.Runtime.CompilerServices;

// Every native signature is blittable, so the LibraryImport generator needs no runtime marshalling;
// disabling it makes that a compile-time guarantee and keeps the assembly AOT- and trim-clean.
[assembly: DisableRuntimeMarshalling]
