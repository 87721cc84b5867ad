// tinierhar: the command line of the TinierHar workbook. One file per command in Commands/.
return TinierHar.Cli.CliApp.Run(args);
