using System.CommandLine;
using NativeConv.Demo;
using Spectre.Console;

// Redirected output has no terminal width; keep table rows on one line anyway.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160;
}

var outputDir = new Argument<string?>("output")
{
    Arity = ArgumentArity.ZeroOrOne,
    Description = "Folder for the PNG files of the full demo; default out/demo.",
};
var root = new RootCommand("NativeConv demo. Without a command: the full demo on the built-in sample image.")
{
    outputDir,
    FilterCommand.Create(),
    FeaturesCommand.Create(),
    SeedCommand.Create(),
    BenchCommand.Create(),
};
root.SetAction(result => FullDemo.Run(Path.GetFullPath(result.GetValue(outputDir) ?? Path.Combine("out", "demo"))));
return root.Parse(args).Invoke();
