global using NUnit.Framework;
global using TorchSharp;
global using static TorchSharp.torch;
