using System.CommandLine;

namespace NativeConv.Demo;

/// <summary><c>features [image] --out dir</c>: the VGG-style stack on an image, one mosaic of feature maps per block.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var image = new Argument<string?>("image")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "Image file (PNG, JPEG, ...); the built-in sample image if omitted.",
        };
        var output = new Option<string>("--out") { DefaultValueFactory = _ => Path.Combine("out", "features"), Description = "Folder for the PNG files." };
        var command = new Command("features", "Run a VGG-style stack (random weights) and write a mosaic PNG of each block's feature maps.") { image, output };
        command.SetAction(result =>
        {
            string? path = result.GetValue(image);
            (float[] input, int height, int width) = path is null
                ? (SampleImage.Create(SeedExample.Size, SeedExample.Size), SeedExample.Size, SeedExample.Size)
                : ImageReader.ReadRgb(path);
            string outputDir = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(outputDir);
            Tables.WriteLayers("VGG-style stack (random weights)", FeatureStack.Run(input, new TensorShape(1, 3, height, width), outputDir));
            Tables.ListPngs(outputDir);
            return 0;
        });
        return command;
    }
}
