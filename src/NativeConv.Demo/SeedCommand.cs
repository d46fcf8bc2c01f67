using System.CommandLine;

namespace NativeConv.Demo;

/// <summary><c>seed</c>: the 224×224×3 image through 32 filters of 5×5×3, checked against the reference.</summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var command = new Command("seed", "The 224x224x3 -> 32 filters of 5x5x3 example (NHWC, same padding, ReLU), checked against the managed reference.");
        command.SetAction(result =>
        {
            DemoStep step = SeedExample.Run(SampleImage.Create(SeedExample.Size, SeedExample.Size), out _);
            Tables.WriteSteps([step]);
            return Tables.Verdict([step]);
        });
        return command;
    }
}
