using TinierHar.Analysis;

namespace TinierHar.Tests.Analysis;

/// <summary>The golden check on the real reference checkpoint and logits (shared/reference/tinierhar-mhealth).</summary>
public class GoldenCheckTests
{
    static string Dir => Path.Combine(TestPaths.Reference, "tinierhar-mhealth");

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Reference_mhealth_checkpoint_passes()
    {
        var r = GoldenCheck.Run(Dir);
        Assert.Equal(165, r.Rows);
        Assert.True(r.MaxAbsDifference <= 1e-4, $"max diff {r.MaxAbsDifference:E3}");
        Assert.Equal(165, r.ArgmaxAgreements);
        Assert.Equal(165, r.LabelAgreements);
        Assert.True(r.Passed);
    }

    [RequiresSharedFact(SharedFiles.Checkpoint)]
    public void Missing_folder_or_file_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"thgold-{Guid.NewGuid():N}");
        Assert.Contains(missing, Assert.Throws<TinierHarException>(() => GoldenCheck.Run(missing)).Message);
        Directory.CreateDirectory(missing);
        try
        {
            File.Copy(Path.Combine(Dir, GoldenCheck.CheckpointFile), Path.Combine(missing, GoldenCheck.CheckpointFile));
            var e = Assert.Throws<TinierHarException>(() => GoldenCheck.Run(missing));
            Assert.Contains(GoldenCheck.InputFile, e.Message);
        }
        finally { Directory.Delete(missing, true); }
    }
}
