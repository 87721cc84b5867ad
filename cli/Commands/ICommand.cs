namespace TinierHar.Cli.Commands;

/// <summary>One sub-command of <c>tinierhar</c>.</summary>
public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    /// <summary>Runs with the arguments after the command name; returns the exit code.</summary>
    int Run(string[] args);
}
