using TinierHar.Training;
using TorchSharp;

namespace TinierHar.Tests.Training;

/// <summary>
/// Golden values computed by hand (arithmetic in the comments), following scikit-learn's accuracy_score and
/// f1_score(average='macro'/'weighted') with labels=None and zero_division giving 0. Per class:
/// P = TP/predicted, R = TP/support, F1 = 2TP/(support+predicted).
/// </summary>
public class MetricsTests
{
    const int Digits = 12;

    static EvaluationMetrics Run(long[] labels, long[] predictions, int classes) => Metrics.Compute(labels, predictions, classes);

    static void AssertClass(ClassMetrics m, double p, double r, double f1, long support, long predicted)
    {
        Assert.Equal(p, m.Precision, Digits);
        Assert.Equal(r, m.Recall, Digits);
        Assert.Equal(f1, m.F1, Digits);
        Assert.Equal(support, m.Support);
        Assert.Equal(predicted, m.Predicted);
    }

    [Fact]
    public void Perfect_predictions_score_one_even_with_an_unused_class()
    {
        // K = 4, class 3 occurs nowhere: averages run over {0,1,2}, each F1 = 1 → macro = weighted = 1 (not 3/4).
        var m = Run([0, 1, 2, 2], [0, 1, 2, 2], 4);
        Assert.Equal(4, m.Count);
        Assert.Equal(1.0, m.Accuracy, Digits);
        Assert.Equal(1.0, m.MacroF1, Digits);
        Assert.Equal(1.0, m.WeightedF1, Digits);
        Assert.Equal([0, 1, 2], m.AveragedClasses);
        AssertClass(m.PerClass[2], 1, 1, 1, 2, 2);
        AssertClass(m.PerClass[3], 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Three_classes_with_mixed_errors()
    {
        // labels      0 0 0 1 1 2
        // predictions 0 0 1 1 2 2
        // class 0: TP 2, support 3, predicted 2 → P 1,   R 2/3, F1 4/5
        // class 1: TP 1, support 2, predicted 2 → P 1/2, R 1/2, F1 2/4 = 1/2
        // class 2: TP 1, support 1, predicted 2 → P 1/2, R 1,   F1 2/3
        // accuracy = 4/6 = 2/3
        // macro    = (4/5 + 1/2 + 2/3)/3 = (24+15+20)/30/3 = 59/90
        // weighted = (4/5·3 + 1/2·2 + 2/3·1)/6 = (36+15+10)/15/6 = 61/90
        var m = Run([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
        Assert.Equal(2.0 / 3, m.Accuracy, Digits);
        Assert.Equal(59.0 / 90, m.MacroF1, Digits);
        Assert.Equal(61.0 / 90, m.WeightedF1, Digits);
        AssertClass(m.PerClass[0], 1, 2.0 / 3, 0.8, 3, 2);
        AssertClass(m.PerClass[1], 0.5, 0.5, 0.5, 2, 2);
        AssertClass(m.PerClass[2], 0.5, 1, 2.0 / 3, 1, 2);
        Assert.Equal([0, 1, 2], m.AveragedClasses);
    }

    [Fact]
    public void Confusion_matrix_is_indexed_true_then_predicted()
    {
        // Same data as above: one sample true 0 predicted 1, one true 1 predicted 2, none the other way.
        var m = Run([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
        long[,] expected = { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } };
        Assert.Equal(expected, m.Confusion);
        Assert.Equal(1, m.Confusion[0, 1]);
        Assert.Equal(0, m.Confusion[1, 0]);
    }

    [Fact]
    public void Class_absent_from_predictions_has_precision_zero_and_counts_in_averages()
    {
        // labels      0 1 2 2
        // predictions 0 1 1 1
        // class 0: TP 1, support 1, predicted 1 → F1 1
        // class 1: TP 1, support 1, predicted 3 → P 1/3, R 1, F1 2/4 = 1/2
        // class 2: TP 0, support 2, predicted 0 → P 0/0 → 0, R 0, F1 0
        // accuracy = 2/4; macro = (1 + 1/2 + 0)/3 = 1/2; weighted = (1·1 + 1/2·1 + 0·2)/4 = 3/8
        var m = Run([0, 1, 2, 2], [0, 1, 1, 1], 3);
        Assert.Equal(0.5, m.Accuracy, Digits);
        Assert.Equal(0.5, m.MacroF1, Digits);
        Assert.Equal(0.375, m.WeightedF1, Digits);
        AssertClass(m.PerClass[1], 1.0 / 3, 1, 0.5, 1, 3);
        AssertClass(m.PerClass[2], 0, 0, 0, 2, 0);
        Assert.Equal([0, 1, 2], m.AveragedClasses);
    }

    [Fact]
    public void Class_only_predicted_enters_macro_with_f1_zero_and_weight_zero()
    {
        // labels      0 0 1 1
        // predictions 0 2 1 1
        // class 0: TP 1, support 2, predicted 1 → P 1, R 1/2, F1 2/3
        // class 1: TP 2, support 2, predicted 2 → F1 1
        // class 2: TP 0, support 0, predicted 1 → P 0, R 0/0 → 0, F1 0
        // accuracy = 3/4
        // macro    = (2/3 + 1 + 0)/3 = 5/9   (over the labels only it would be 5/6)
        // weighted = (2/3·2 + 1·2 + 0·0)/4 = (4/3 + 2)/4 = 5/6
        var m = Run([0, 0, 1, 1], [0, 2, 1, 1], 3);
        Assert.Equal(0.75, m.Accuracy, Digits);
        Assert.Equal(5.0 / 9, m.MacroF1, Digits);
        Assert.Equal(5.0 / 6, m.WeightedF1, Digits);
        AssertClass(m.PerClass[0], 1, 0.5, 2.0 / 3, 2, 1);
        AssertClass(m.PerClass[2], 0, 0, 0, 0, 1);
        Assert.Equal([0, 1, 2], m.AveragedClasses);
    }

    [Fact]
    public void Class_absent_from_both_is_left_out_of_the_averages()
    {
        // K = 4, class 2 occurs nowhere.
        // labels      0 1 3 3
        // predictions 0 3 3 3
        // class 0: TP 1, support 1, predicted 1 → F1 1
        // class 1: TP 0, support 1, predicted 0 → F1 0
        // class 3: TP 2, support 2, predicted 3 → P 2/3, R 1, F1 4/5
        // accuracy = 3/4
        // macro    = (1 + 0 + 4/5)/3 = 3/5   (over all 4 classes it would be 9/20)
        // weighted = (1·1 + 0·1 + 4/5·2)/4 = 2.6/4 = 13/20
        var m = Run([0, 1, 3, 3], [0, 3, 3, 3], 4);
        Assert.Equal(0.75, m.Accuracy, Digits);
        Assert.Equal(0.6, m.MacroF1, Digits);
        Assert.Equal(0.65, m.WeightedF1, Digits);
        Assert.Equal([0, 1, 3], m.AveragedClasses);
        Assert.Equal(4, m.PerClass.Count);
        AssertClass(m.PerClass[2], 0, 0, 0, 0, 0);
        AssertClass(m.PerClass[3], 2.0 / 3, 1, 0.8, 2, 3);
    }

    [Fact]
    public void Binary_case_averages_both_classes()
    {
        // labels      0 0 0 1 1
        // predictions 0 1 0 1 0
        // class 0: TP 2, support 3, predicted 3 → P 2/3, R 2/3, F1 4/6 = 2/3
        // class 1: TP 1, support 2, predicted 2 → P 1/2, R 1/2, F1 2/4 = 1/2
        // accuracy = 3/5; macro = (2/3 + 1/2)/2 = 7/12; weighted = (2/3·3 + 1/2·2)/5 = 3/5
        var m = Run([0, 0, 0, 1, 1], [0, 1, 0, 1, 0], 2);
        Assert.Equal(0.6, m.Accuracy, Digits);
        Assert.Equal(7.0 / 12, m.MacroF1, Digits);
        Assert.Equal(0.6, m.WeightedF1, Digits);
        AssertClass(m.PerClass[0], 2.0 / 3, 2.0 / 3, 2.0 / 3, 3, 3);
        AssertClass(m.PerClass[1], 0.5, 0.5, 0.5, 2, 2);
    }

    [Fact]
    public void Tensor_overload_takes_argmax_of_logits()
    {
        // argmax rows: [0.1 0.2 0.9] → 2, [2 1 0] → 0, [0 0.5 3] → 2; labels 2 0 1
        // class a(0): TP 1, support 1, predicted 1 → F1 1
        // class b(1): TP 0, support 1, predicted 0 → F1 0
        // class c(2): TP 1, support 1, predicted 2 → P 1/2, R 1, F1 2/3
        // accuracy = 2/3; macro = (1 + 0 + 2/3)/3 = 5/9; weighted = (1 + 0 + 2/3)/3 = 5/9
        using var labels = torch.tensor(new long[] { 2, 0, 1 });
        using var logits = torch.tensor(new float[] { 0.1f, 0.2f, 0.9f, 2, 1, 0, 0, 0.5f, 3 }).reshape(3, 3);
        var m = Metrics.Compute(labels, logits, ["a", "b", "c"]);
        Assert.Equal(3, m.Count);
        Assert.Equal(2.0 / 3, m.Accuracy, Digits);
        Assert.Equal(5.0 / 9, m.MacroF1, Digits);
        Assert.Equal(5.0 / 9, m.WeightedF1, Digits);
        Assert.Equal("c", m.PerClass[2].Name);
        AssertClass(m.PerClass[2], 0.5, 1, 2.0 / 3, 1, 2);
        Assert.Equal(1, m.Confusion[1, 2]); // true b, predicted c

        // Without names, K comes from the logits and names are the indices; int32 labels are accepted.
        using var labels32 = torch.tensor(new int[] { 2, 0, 1 });
        var unnamed = Metrics.Compute(labels32, logits);
        Assert.Equal("1", unnamed.PerClass[1].Name);
        Assert.Equal(5.0 / 9, unnamed.MacroF1, Digits);

        // 1-D predictions with names give the same result.
        using var predictions = torch.tensor(new long[] { 2, 0, 2 });
        Assert.Equal(5.0 / 9, Metrics.Compute(labels, predictions, ["a", "b", "c"]).MacroF1, Digits);
    }

    [Fact]
    public void Invalid_inputs_throw_user_errors()
    {
        Assert.Throws<TinierHarException>(() => Run([0, 1], [0], 2));
        Assert.Throws<TinierHarException>(() => Run([], [], 2));
        var label = Assert.Throws<TinierHarException>(() => Run([0, 1, 5], [0, 1, 1], 3));
        Assert.Contains("index 2", label.Message);
        Assert.Contains("5", label.Message);
        var prediction = Assert.Throws<TinierHarException>(() => Run([0, 1, 1], [0, -1, 1], 3));
        Assert.Contains("prediction at index 1 is -1", prediction.Message);
        Assert.Throws<TinierHarException>(() => Metrics.Compute([0L], [0L], 2, ["only one"]));

        using var labels = torch.tensor(new long[] { 0, 1 });
        using var predictions = torch.tensor(new long[] { 0, 1 });
        Assert.Throws<TinierHarException>(() => Metrics.Compute(labels, predictions)); // 1-D needs names for K
        using var logits = torch.zeros(2, 3);
        Assert.Throws<TinierHarException>(() => Metrics.Compute(labels, logits, ["a", "b"])); // 2 names, 3 logits
        using var cube = torch.zeros(2, 3, 1);
        Assert.Throws<TinierHarException>(() => Metrics.Compute(labels, cube));
        using var floatLabels = torch.zeros(2);
        Assert.Throws<TinierHarException>(() => Metrics.Compute(floatLabels, logits));
    }

    [Fact]
    public void Mean_and_sample_std_for_fold_summaries()
    {
        // 1 2 3 4: mean 5/2; squared deviations 9/4 + 1/4 + 1/4 + 9/4 = 5; ddof 1 → sqrt(5/3)
        Assert.Equal(2.5, Metrics.Mean([1.0, 2, 3, 4]), Digits);
        Assert.Equal(Math.Sqrt(5.0 / 3), Metrics.SampleStd([1.0, 2, 3, 4]), Digits);
        Assert.Equal(0.0, Metrics.SampleStd([0.7]));
        Assert.Equal(0.7, Metrics.Mean(new[] { 0.7 }.Select(x => x)), Digits);
        Assert.Throws<TinierHarException>(() => Metrics.Mean([]));
        Assert.Throws<TinierHarException>(() => Metrics.SampleStd([]));
    }

    [Fact]
    public void A_summary_shows_its_spread_or_says_it_is_one_run()
    {
        Assert.Equal("0.7600 ± 0.0640", Metrics.MeanSpread(0.76, 0.064, 7, 4));
        Assert.Equal("0.787 (one run)", Metrics.MeanSpread(0.7871, 0, 1, 3));
        Assert.Equal("0.500 ± 0.000", Metrics.MeanSpread(0.5, 0, 2, 3)); // two equal runs: a measured spread of 0
    }
}
