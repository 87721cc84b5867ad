using TinierHar.Cli;
using TinierHar.Cli.Commands;

// tinierhar: the command line of the TinierHar workbook. One file per command in Commands/.
var commands = new Dictionary<string, ICommand>(StringComparer.Ordinal);
foreach (var c in new ICommand[] { new DatasetsCommand() }) commands[c.Name] = c;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("usage: tinierhar <command> [options]\n\ncommands:");
    foreach (var c in commands.Values) Console.WriteLine($"  {c.Name,-10} {c.Summary}");
    return args.Length == 0 ? 2 : 0;
}
if (!commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine($"tinierhar: unknown command '{args[0]}' (commands: {string.Join(", ", commands.Keys)})");
    return 2;
}
try
{
    return command.Run(args[1..]);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"tinierhar {command.Name}: {e.Message}");
    return 2;
}
catch (TinierHar.TinierHarException e)
{
    Console.Error.WriteLine($"tinierhar {command.Name}: {e.Message}");
    return 2;
}
