return WeightInit.Cli.WeightInitCli.Build().Parse(args).Invoke();
