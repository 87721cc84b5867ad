using TinierHar.Cli.Commands;

namespace TinierHar.Cli;

/// <summary>Dispatches <c>tinierhar &lt;command&gt;</c>; user errors become one line on stderr and exit code 2.</summary>
public static class CliApp
{
    public static IReadOnlyList<ICommand> Commands { get; } = [new MacsCommand(), new PredictCommand(), new DatasetsCommand(), new TrainCommand(), new ResultsCommand(), new StudyCommand(), new EvaluateCommand(), new ExportCommand(), new FootprintCommand(), new WorkbookCommand(), new KernelCommand()];

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("usage: tinierhar <command> [options]\n\ncommands:");
            foreach (var c in Commands) Console.WriteLine($"  {c.Name,-10} {c.Summary}");
            return args.Length == 0 ? 2 : 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"tinierhar: unknown command '{args[0]}' (commands: {string.Join(", ", Commands.Select(c => c.Name))})");
            return 2;
        }
        try
        {
            return command.Run(args[1..]);
        }
        catch (Exception e) when (e is UsageException or TinierHarException)
        {
            Console.Error.WriteLine($"tinierhar {command.Name}: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line, with what is needed to report it.
            Console.Error.WriteLine(InternalError(command.Name, e));
            return 1;
        }
    }

    /// <summary>
    /// The one line printed for an unexpected exception: its type and the first line of its message (libtorch errors
    /// carry a native stack trace after it), and for the commands that keep their progress on disk, how to go on.
    /// </summary>
    public static string InternalError(string command, Exception e)
    {
        var first = e.Message.Split('\n', 2)[0].Trim();
        var hint = command is "train" or "workbook" or "study" ? " (finished work is kept: rerun the same command to resume)" : "";
        return $"tinierhar {command}: internal error ({e.GetType().Name}): {first}{hint}";
    }
}
