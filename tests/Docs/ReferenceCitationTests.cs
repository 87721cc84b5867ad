using System.Text.RegularExpressions;

namespace TinierHar.Tests.Docs;

/// <summary>Every "docs/reference.md section N" cited in the repository's code, docs and notebooks exists there.</summary>
public partial class ReferenceCitationTests
{
    [GeneratedRegex(@"docs/reference\.md(?:'s)?[^\n]{0,80}?sections? (\d+)(?:\.(\d+))?(?:(?: and|,|-) ?(\d+))?")]
    private static partial Regex Citation();

    [Fact]
    public void Cited_sections_exist()
    {
        var root = TestPaths.Repository;
        var doc = File.ReadAllText(Path.Combine(root, "docs", "reference.md"));
        var headings = Regex.Matches(doc, @"(?m)^##+ (\d+(?:\.\d+)?)\.? ").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("10", headings);
        var files = new[] { "lib", "cli", "tests", "notebooks", "bench", "docs" }
            .Select(d => Path.Combine(root, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetExtension(f) is ".cs" or ".md" or ".ipynb" or ".py")
            .Append(Path.Combine(root, "README.md")).Append(Path.Combine(root, "DEVELOPERS.md"));
        int citations = 0;
        foreach (var file in files)
            foreach (Match m in Citation().Matches(File.ReadAllText(file)))
            {
                citations++;
                var section = m.Groups[2].Success ? $"{m.Groups[1].Value}.{m.Groups[2].Value}" : m.Groups[1].Value;
                Assert.True(headings.Contains(section), $"{Path.GetRelativePath(root, file)}: '{m.Value}' cites a section docs/reference.md does not have");
                if (m.Groups[3].Success)
                    Assert.True(headings.Contains(m.Groups[3].Value), $"{Path.GetRelativePath(root, file)}: '{m.Value}'");
            }
        Assert.True(citations >= 30, $"only {citations} citations found: is the pattern still right?");
    }
}
