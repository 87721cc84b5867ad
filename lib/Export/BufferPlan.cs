using System.Text;

namespace TinierHar.Export;

/// <summary>One step of the generated forward: what it writes and how many floats (its input is the previous step's output).</summary>
public sealed record PlannedStep(string Name, int Floats, int Buffer);

/// <summary>
/// The static activation memory of a generated model: two ping-pong buffers (one when there is a single step). Step i
/// reads the buffer step i−1 wrote (the first step reads the caller's window) and writes the other one, so no activation
/// is ever overwritten while it is read. Each buffer is as large as the largest step that writes it. Sizes are in floats
/// and fixed at export time.
/// </summary>
public sealed class BufferPlan
{
    public IReadOnlyList<PlannedStep> Steps { get; }

    /// <summary>Floats of each buffer, indexed by <see cref="PlannedStep.Buffer"/>.</summary>
    public IReadOnlyList<int> BufferSizes { get; }

    /// <summary>Floats of the larger buffer (the largest activation).</summary>
    public int BufferFloats => BufferSizes.Max();

    public BufferPlan(IEnumerable<(string Name, int Floats)> steps)
    {
        var list = new List<PlannedStep>();
        foreach (var (name, floats) in steps)
        {
            if (floats < 1) throw new TinierHarException($"step {name} has no output");
            if (list.Any(s => s.Name == name)) throw new TinierHarException($"step {name} is planned twice");
            list.Add(new PlannedStep(name, floats, list.Count % 2));
        }
        if (list.Count == 0) throw new TinierHarException("nothing to plan");
        Steps = list;
        BufferSizes = list.GroupBy(s => s.Buffer).OrderBy(g => g.Key).Select(g => g.Max(s => s.Floats)).ToList();
    }

    /// <summary>The buffer (0 or 1) that step <paramref name="name"/> writes.</summary>
    public int BufferOf(string name) =>
        (Steps.FirstOrDefault(s => s.Name == name) ?? throw new TinierHarException($"no planned step {name}")).Buffer;

    /// <summary>The C name of the buffer that step <paramref name="name"/> writes (<c>buffer0</c> or <c>buffer1</c>).</summary>
    public string NameOf(string name) => $"buffer{BufferOf(name)}";

    /// <summary>Appends the <c>static float bufferN[...]</c> declarations; returns their size in bytes.</summary>
    public long Declare(StringBuilder sb)
    {
        long bytes = 0;
        for (int b = 0; b < BufferSizes.Count; b++)
            bytes += CSource.Buffer(sb, $"buffer{b}", BufferSizes[b],
                "ping-pong activations: " + string.Join(", ", Steps.Where(s => s.Buffer == b).Select(s => s.Name)));
        return bytes;
    }
}
