namespace TinierHar.Tests;
public class ProbeTests { [Fact] public void Loads() => Assert.Equal(3f, Probe.Sum()); }
