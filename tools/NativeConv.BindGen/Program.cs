using System.CommandLine;
using System.Diagnostics;
using System.Text;
using NativeConv.BindGen;

// Exit codes: 0 written or up to date, 1 --check found a difference, 2 the bindings could not be generated.
const int UpToDate = 0;
const int OutOfDate = 1;
const int Failed = 2;

var header = new Option<FileInfo>("--header")
{
    Description = "The C header to bind (native/include/nativeconv.h).",
    Required = true,
};
header.AcceptExistingOnly();
var output = new Option<FileInfo>("--output")
{
    Description = "The C# file to write (src/NativeConv/Interop/NativeMethods.g.cs).",
    Required = true,
};
var check = new Option<bool>("--check")
{
    Description = "Write nothing; exit 1 if the output file differs from what would be generated.",
};
var builtinInclude = new Option<DirectoryInfo>("--builtin-include")
{
    Description = "Folder holding the compiler's stddef.h. Default: `gcc -print-file-name=include`.",
};
builtinInclude.AcceptExistingOnly();

var root = new RootCommand("Generates the C# P/Invoke bindings of the NativeConv C API from its header.")
{
    header, output, check, builtinInclude,
};
root.SetAction(result =>
{
    FileInfo headerFile = result.GetRequiredValue(header);
    FileInfo outputFile = result.GetRequiredValue(output);
    try
    {
        string includeDirectory = result.GetValue(builtinInclude)?.FullName ?? GccBuiltinIncludeDirectory();
        HeaderModel model = HeaderParser.Parse(headerFile.FullName, includeDirectory);
        (string headerName, string outputName) = BannerPaths(headerFile.FullName, outputFile.FullName);
        string generated = CSharpEmitter.Emit(model, headerName, outputName);
        return result.GetValue(check) ? Compare(generated, outputFile, headerName, outputName) : Write(generated, outputFile);
    }
    catch (HeaderException error)
    {
        Console.Error.WriteLine(error.Message);
        return Failed;
    }
});

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }
    return Failed;
}
return parsed.Invoke();

static int Write(string generated, FileInfo outputFile)
{
    outputFile.Directory?.Create();
    File.WriteAllText(outputFile.FullName, generated, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    Console.WriteLine($"Wrote {outputFile.FullName}");
    return UpToDate;
}

static int Compare(string generated, FileInfo outputFile, string headerName, string outputName)
{
    string[] expected = generated.Split('\n');
    string[]? actual = outputFile.Exists ? File.ReadAllText(outputFile.FullName).Split('\n') : null;
    if (actual is not null && expected.SequenceEqual(actual))
    {
        Console.WriteLine($"{outputName} is up to date with {headerName}.");
        return UpToDate;
    }

    var message = new StringBuilder($"{outputName} is out of date with {headerName}");
    if (actual is null)
    {
        message.AppendLine(": the file does not exist.");
    }
    else
    {
        int line = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
            .First(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i]);
        message.AppendLine($"; first difference at line {line + 1}:");
        message.AppendLine($"--- {outputName}");
        message.AppendLine("+++ generated");
        message.AppendLine(line < actual.Length ? $"-{actual[line]}" : "-(end of file)");
        message.AppendLine(line < expected.Length ? $"+{expected[line]}" : "+(end of file)");
    }
    message.Append($"Regenerate: dotnet run --project tools/NativeConv.BindGen -- --header {headerName} --output {outputName}");
    Console.Error.WriteLine(message);
    return OutOfDate;
}

// libclang's package ships no builtin headers (stddef.h); gcc's serve the same purpose.
static string GccBuiltinIncludeDirectory()
{
    var start = new ProcessStartInfo("gcc", "-print-file-name=include") { RedirectStandardOutput = true };
    string directory;
    try
    {
        using Process gcc = Process.Start(start)!;
        directory = gcc.StandardOutput.ReadToEnd().Trim();
        gcc.WaitForExit();
    }
    catch (System.ComponentModel.Win32Exception error)
    {
        throw new HeaderException($"Cannot run gcc to find the builtin headers ({error.Message}); pass --builtin-include.");
    }
    return Directory.Exists(directory)
        ? directory
        : throw new HeaderException($"gcc -print-file-name=include gave '{directory}', not a folder; pass --builtin-include.");
}

// The banner names both files relative to their common folder (the repository root in normal use),
// so the output does not depend on the working directory or on where the repository is checked out.
static (string Header, string Output) BannerPaths(string headerPath, string outputPath)
{
    string common = Path.GetDirectoryName(headerPath)!;
    while (!IsUnder(outputPath, common))
    {
        common = Path.GetDirectoryName(common)!;
    }
    return (Relative(common, headerPath), Relative(common, outputPath));

    static bool IsUnder(string path, string folder) =>
        path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar,
            StringComparison.Ordinal);

    static string Relative(string folder, string path) =>
        Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
}
