namespace TinierHar.Export;

/// <summary>One step of the generated forward: what it writes and how many floats (its input is the previous step's output).</summary>
public sealed record PlannedStep(string Name, int Floats, int Buffer);

/// <summary>
/// The static activation memory of a generated model: two ping-pong buffers, each as large as the largest activation.
/// Step i reads the buffer step i−1 wrote (the first step reads the caller's window) and writes the other one, so no
/// activation is ever overwritten while it is read. Sizes are in floats and fixed at export time.
/// </summary>
public sealed class BufferPlan
{
    public IReadOnlyList<PlannedStep> Steps { get; }

    /// <summary>Floats in each of the two buffers.</summary>
    public int BufferFloats { get; }

    public BufferPlan(IEnumerable<(string Name, int Floats)> steps)
    {
        var list = new List<PlannedStep>();
        foreach (var (name, floats) in steps)
        {
            if (floats < 1) throw new TinierHarException($"step {name} has no output");
            list.Add(new PlannedStep(name, floats, list.Count % 2));
        }
        if (list.Count == 0) throw new TinierHarException("nothing to plan");
        Steps = list;
        BufferFloats = list.Max(s => s.Floats);
    }

    /// <summary>The buffer (0 or 1) that step <paramref name="name"/> writes.</summary>
    public int BufferOf(string name) => Steps.First(s => s.Name == name).Buffer;
}
