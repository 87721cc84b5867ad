using TinierHar.Analysis;
using TinierHar.Data;
using TinierHar.Tests.Data;

namespace TinierHar.Tests.Analysis;

/// <summary>Data summaries on the real USC-HAD (complete in shared/datasets); label-rule mechanics on a synthetic recording.</summary>
public class DataSummaryTests
{
    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Uschad_windows_per_class_and_subject_add_up()
    {
        var data = RealData.Load("uschad");
        var counts = DataSummary.WindowsPerClassAndSubject(data);
        Assert.Equal(12, counts.Classes.Count);
        Assert.Equal(Enumerable.Range(1, 14).Select(i => i.ToString()), counts.Subjects);
        long sum = 0;
        foreach (var c in counts.Counts) sum += c;
        Assert.Equal(data.Windows.Count, sum);
        Assert.Equal(data.Windows.ClassCounts(12)[0], counts.ClassTotal(0));
        var frame = counts.ToFrame();
        Assert.Equal(12, frame.RowCount);
        Assert.Equal(14, frame.ColumnCount);
        Assert.Equal(counts.Counts[3, 4], frame.GetColumn<int>("5").Get("walking upstairs"));
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Uschad_segments_cover_each_recording_and_the_label_rule_agrees_with_the_windows()
    {
        var data = RealData.Load("uschad");
        var r = data.Recordings[0];
        var segments = DataSummary.Segments(r);
        Assert.Equal(0, segments[0].Start);
        Assert.Equal(r.Length, segments[^1].End);
        Assert.Equal(r.Length, segments.Sum(s => s.Length));
        foreach (int w in new[] { 0, data.Windows.Count / 2, data.Windows.Count - 1 })
        {
            var ex = DataSummary.LabelRule(data, w);
            Assert.Equal(data.Windows.Start[w], ex.Start);
            Assert.Equal(ex.Start + 400, ex.End);
            Assert.Equal(400, ex.Counts.Values.Sum());
            Assert.Equal(data.Info.ClassNames[data.Windows.Label[w]], ex.ClassName);
        }
        Assert.Throws<TinierHarException>(() => DataSummary.LabelRule(data, data.Windows.Count));
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Uschad_samples_per_class_and_subject_count_every_labelled_sample()
    {
        var data = RealData.Load("uschad");
        var samples = DataSummary.SamplesPerClassAndSubject(data);
        var windows = DataSummary.WindowsPerClassAndSubject(data);
        Assert.Equal(windows.Classes, samples.Classes);
        Assert.Equal(windows.Subjects, samples.Subjects);
        long sum = 0;
        foreach (var c in samples.Counts) sum += c;
        Assert.Equal(data.SampleCount, sum); // USC-HAD drops no label: every sample belongs to a class
        // Subject 1's walking-forward samples, counted straight from its recordings' raw labels.
        var raw = data.Info.ClassRawIds[0];
        Assert.Equal(data.Recordings.Where(r => r.Subject == 1).Sum(r => r.Labels.Count(l => l == raw)), samples.Counts[0, 0]);
        // Windows overlap by half: about two windows per window length of samples, never more.
        Assert.InRange(windows.ClassTotal(0), 1, 2.0 * samples.ClassTotal(0) / data.Info.WindowT);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Uschad_example_stream_joins_one_subjects_activity_files()
    {
        // USC-HAD stores one activity per file, so the plotted stream joins several files of subject 1.
        var data = RealData.Load("uschad");
        var stream = DataSummary.ExampleStream(data, maxSamplesPerActivity: 500);
        Assert.Equal(1, stream.Subject);
        Assert.Equal("6 activity files joined (Subject1/a1t1 … Subject1/a6t1)", stream.Block);
        Assert.Equal(6, DataSummary.Segments(stream).Count);
        Assert.Equal(6 * 500, stream.Length);
        var firsts = data.Recordings.Where(r => r.Subject == 1).GroupBy(r => r.Labels[0]).Select(g => g.First()).ToArray();
        Assert.Equal(firsts[1].Samples.AsSpan(0, 500 * 6).ToArray(), stream.Samples.AsSpan(500 * 6, 500 * 6).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSummary.ExampleStream(data, 0));
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Uschad_fold_normalisation_centres_the_training_rows()
    {
        var data = RealData.Load("uschad");
        var (raw, norm) = DataSummary.ChannelBeforeAfter(data, fold: 0, channel: 0, maxValues: 5000);
        Assert.Equal(raw.Length, norm.Length);
        Assert.InRange(raw.Length, 4000, 5000);
        double mean = norm.Average(), std = Math.Sqrt(norm.Sum(v => (v - mean) * (v - mean)) / (norm.Length - 1));
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(std, 0.9, 1.1);
        Assert.True(Math.Abs(raw.Average() - mean) > 0.1, "raw values are not already normalised");
        var n = Protocol.FitFold(data.Info, data.Fold(0), data.Recordings);
        Assert.Equal(n.Apply((float)raw[7], 0), norm[7], 6);
    }

    [Fact]
    public void Mixed_window_label_counts_and_segments_synthetic()
    {
        // Synthetic: a 4-row window with raw labels 2,2,1,1 ties; the rule picks the label-map's first (raw 1).
        var info = Synthetic.Info(t: 4, c: 1, labelMap: [1, 2, 3], groups: [[1]], subjects: [1]);
        var rec = Synthetic.Rec(1, [2, 2, 1, 1, 3, 3, 3, 3], c: 1);
        var data = new LoadedDataset(info, "/synthetic", [rec]);
        Assert.Equal([new Segment(0, 2, 2), new Segment(2, 4, 1), new Segment(4, 8, 3)], DataSummary.Segments(rec));
        var ex = DataSummary.LabelRule(data, 0);
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 2 }, ex.Counts);
        Assert.Equal([1, 2], ex.Counts.Keys);
        Assert.Equal(1, ex.ChosenRawLabel);
        Assert.Equal("label1", ex.ClassName);
        Assert.Equal(1, DataSummary.LabelRule(data, 1).ChosenRawLabel);   // rows 2..5: 1,1,3,3 tie → label-map order
        Assert.Equal(3, DataSummary.LabelRule(data, 2).ChosenRawLabel);   // rows 4..7: all 3
    }
}
