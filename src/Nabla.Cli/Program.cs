// Configuration only: the commands live in Commands/, one file each.
return Nabla.Cli.NablaCli.Run(args, Console.Out, Console.Error);
