return WeightInit.Cli.WeightInitCli.Run(args);
