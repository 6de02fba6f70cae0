using WeightInit.Examples;

Example[] examples =
[
    new RandomNormalExample(), new RandomUniformExample(), new GlorotUniformExample(), new HeNormalExample(),
    new HeUniformExample(), new LecunNormalExample(), new ZerosExample(), new OnesExample(), new SeedingExample(),
    new CustomInitializerExample(), new TorchModuleExample(), new SaveForPythonExample(), new TensorFlowBackendExample(),
];

var chosen = args.Length == 0 ? null : examples.FirstOrDefault(e => e.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine(args.Length == 0 ? "Choose an example:" : $"Unknown example '{args[0]}'. Choose one of:");
    foreach (var e in examples)
    {
        Console.Error.WriteLine($"  {e.Name,-16} {e.Summary}");
    }
    return args.Length == 0 ? 0 : 2;
}
chosen.Run(new Lab(Console.Out, epochs: 10));
return 0;
