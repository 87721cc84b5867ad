namespace TinierHar.Training;

/// <summary>Accuracy, macro F1 and weighted F1 of one set of predictions (scikit-learn semantics: macro over the labels
/// present in the true or predicted labels, zero_division = 0). Stand-in until the shared Metrics class is merged.</summary>
public sealed record Scores(int Count, double Accuracy, double MacroF1, double WeightedF1)
{
    public static Scores Compute(IReadOnlyList<int> labels, IReadOnlyList<int> predictions, int classes)
    {
        if (labels.Count != predictions.Count) throw new ArgumentException("labels and predictions differ in length");
        int n = labels.Count;
        var tp = new long[classes]; var support = new long[classes]; var predicted = new long[classes];
        long correct = 0;
        for (int i = 0; i < n; i++)
        {
            support[labels[i]]++; predicted[predictions[i]]++;
            if (labels[i] == predictions[i]) { tp[labels[i]]++; correct++; }
        }
        double macro = 0, weighted = 0; int present = 0;
        for (int k = 0; k < classes; k++)
        {
            if (support[k] == 0 && predicted[k] == 0) continue;
            present++;
            double denom = support[k] + predicted[k];
            double f1 = denom == 0 ? 0 : 2.0 * tp[k] / denom;
            macro += f1; weighted += f1 * support[k];
        }
        return new Scores(n, n == 0 ? 0 : (double)correct / n, present == 0 ? 0 : macro / present, n == 0 ? 0 : weighted / n);
    }
}
