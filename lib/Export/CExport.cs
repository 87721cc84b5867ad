namespace TinierHar.Export;

/// <summary>
/// The two files of a C export, <c>{Prefix}.h</c> and <c>{Prefix}.c</c> (<c>void {Prefix}_predict(const float *window,
/// float *logits)</c>, macros <c>{PREFIX}_WINDOW</c>, <c>_CHANNELS</c>, <c>_CLASSES</c>), and what they occupy:
/// <see cref="WeightBytes"/> of <c>const</c> arrays (flash) and <see cref="ActivationBytes"/> of static buffers (RAM),
/// both fixed at export time.
/// </summary>
public sealed record CExport(string Prefix, string Header, string Source, long WeightBytes, long ActivationBytes)
{
    public string HeaderName => Prefix + ".h";
    public string SourceName => Prefix + ".c";
    public IReadOnlyList<(string Name, string Text)> Files => [(HeaderName, Header), (SourceName, Source)];
}
