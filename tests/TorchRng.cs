namespace TinierHar.Tests;

/// <summary>
/// Tests that seed TorchSharp's global RNG and compare results: they run alone (after the parallel tests), so no
/// other test draws from the same generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection { public const string Name = "torch global RNG"; }
