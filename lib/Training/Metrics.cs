using System.Globalization;
using TorchSharp;

namespace TinierHar.Training;

/// <summary>
/// Scores of one class. <see cref="Precision"/> = TP / <see cref="Predicted"/> (0 when nothing was predicted as this
/// class), <see cref="Recall"/> = TP / <see cref="Support"/> (0 when the class does not occur in the labels),
/// <see cref="F1"/> = 2·TP / (<see cref="Support"/> + <see cref="Predicted"/>), which equals 2PR/(P+R) and is 0 when
/// P+R = 0 (scikit-learn's formula with <c>zero_division</c> giving 0).
/// </summary>
/// <param name="Class">Class index 0..K−1.</param>
/// <param name="Name">Class name (the index as text when no names were given).</param>
/// <param name="Precision">TP / predicted count, 0 when the predicted count is 0.</param>
/// <param name="Recall">TP / support, 0 when the support is 0.</param>
/// <param name="F1">2·TP / (support + predicted count), 0 when both are 0.</param>
/// <param name="Support">Number of samples whose label is this class.</param>
/// <param name="Predicted">Number of samples predicted as this class.</param>
public sealed record ClassMetrics(int Class, string Name, double Precision, double Recall, double F1, long Support, long Predicted);

/// <summary>
/// Evaluation of predictions against labels, matching scikit-learn's <c>accuracy_score</c>,
/// <c>f1_score(average='macro')</c> and <c>f1_score(average='weighted')</c> with default arguments
/// (<c>labels=None</c>, <c>zero_division='warn'</c>, which scores 0).
/// </summary>
/// <param name="Count">Number of samples.</param>
/// <param name="Accuracy">Fraction of samples whose prediction equals the label.</param>
/// <param name="MacroF1">
/// Unweighted mean of <see cref="ClassMetrics.F1"/> over <see cref="AveragedClasses"/> only (not all K classes): a class
/// that is only predicted (support 0) counts with F1 0; a class absent from both labels and predictions is left out.
/// </param>
/// <param name="WeightedF1">
/// Mean of <see cref="ClassMetrics.F1"/> over <see cref="AveragedClasses"/> weighted by support: a class that is only
/// predicted has weight 0.
/// </param>
/// <param name="PerClass">Scores of all K classes, in class order (classes in neither input have all zeros).</param>
/// <param name="Confusion">Counts indexed [true class, predicted class], K×K; row sums are supports.</param>
/// <param name="AveragedClasses">
/// The sorted union of classes that occur in the labels or in the predictions (scikit-learn's
/// <c>unique_labels(y_true, y_pred)</c>): the classes the macro and weighted averages run over.
/// </param>
public sealed record EvaluationMetrics(
    long Count,
    double Accuracy,
    double MacroF1,
    double WeightedF1,
    IReadOnlyList<ClassMetrics> PerClass,
    long[,] Confusion,
    IReadOnlyList<int> AveragedClasses);

/// <summary>Classification metrics as the reference computes them with scikit-learn, and fold summaries.</summary>
public static class Metrics
{
    /// <summary>
    /// Scores <paramref name="predictions"/> against <paramref name="labels"/> for <paramref name="classes"/> classes
    /// (see <see cref="EvaluationMetrics"/> for the rules).
    /// </summary>
    /// <exception cref="TinierHarException">
    /// Empty input, different lengths, <paramref name="classes"/> &lt; 1, a class-name count other than
    /// <paramref name="classes"/>, or a label or prediction outside 0..K−1 (the message gives its index and value).
    /// </exception>
    public static EvaluationMetrics Compute(ReadOnlySpan<long> labels, ReadOnlySpan<long> predictions, int classes, IReadOnlyList<string>? classNames = null)
    {
        if (classes < 1) throw new TinierHarException($"Metrics: the number of classes must be at least 1, got {classes}.");
        if (labels.Length != predictions.Length)
            throw new TinierHarException($"Metrics: {labels.Length} labels but {predictions.Length} predictions; the counts must be equal.");
        if (labels.Length == 0) throw new TinierHarException("Metrics: no samples to evaluate (labels and predictions are empty).");
        if (classNames is not null && classNames.Count != classes)
            throw new TinierHarException($"Metrics: {classNames.Count} class names given for {classes} classes.");

        var confusion = new long[classes, classes];
        long correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            long y = labels[i], p = predictions[i];
            if (y < 0 || y >= classes)
                throw new TinierHarException($"Metrics: label at index {i} is {y}, outside the classes 0..{classes - 1}.");
            if (p < 0 || p >= classes)
                throw new TinierHarException($"Metrics: prediction at index {i} is {p}, outside the classes 0..{classes - 1}.");
            confusion[y, p]++;
            if (y == p) correct++;
        }

        var perClass = new ClassMetrics[classes];
        var averaged = new List<int>();
        double f1Sum = 0, weightedSum = 0;
        long supportSum = 0;
        for (int c = 0; c < classes; c++)
        {
            long tp = confusion[c, c], support = 0, predicted = 0;
            for (int j = 0; j < classes; j++)
            {
                support += confusion[c, j];
                predicted += confusion[j, c];
            }
            double precision = predicted == 0 ? 0 : (double)tp / predicted;
            double recall = support == 0 ? 0 : (double)tp / support;
            // scikit-learn >= 1.3: F = (1+β²)·TP / (β²·support + predicted), i.e. 2TP/(support+predicted) for β = 1.
            double f1 = support + predicted == 0 ? 0 : 2.0 * tp / (support + predicted);
            perClass[c] = new ClassMetrics(c, classNames?[c] ?? c.ToString(System.Globalization.CultureInfo.InvariantCulture),
                precision, recall, f1, support, predicted);
            if (support + predicted > 0)
            {
                averaged.Add(c);
                f1Sum += f1;
                weightedSum += f1 * support;
                supportSum += support;
            }
        }

        return new EvaluationMetrics(
            labels.Length,
            (double)correct / labels.Length,
            f1Sum / averaged.Count,
            weightedSum / supportSum, // supportSum = sample count > 0
            perClass,
            confusion,
            averaged);
    }

    /// <summary>
    /// Scores a model's output. <paramref name="logitsOrPredictions"/> is either [N, K] logits (or probabilities),
    /// whose argmax over dim 1 is the prediction and whose dim 1 gives K, or [N] class indices, in which case
    /// <paramref name="classNames"/> is required and gives K. <paramref name="labels"/> is [N] class indices of any
    /// integer type. Tensors are read on the CPU; neither is modified or disposed.
    /// </summary>
    /// <exception cref="TinierHarException">Wrong ranks or dtypes, missing or mismatched class names, or any error of the span overload.</exception>
    public static EvaluationMetrics Compute(torch.Tensor labels, torch.Tensor logitsOrPredictions, IReadOnlyList<string>? classNames = null)
    {
        if (labels.dim() != 1)
            throw new TinierHarException($"Metrics: labels must be a 1-D tensor, got shape [{string.Join(", ", labels.shape)}].");
        if (labels.is_floating_point() || labels.is_complex() || labels.dtype == torch.ScalarType.Bool)
            throw new TinierHarException($"Metrics: labels must be an integer tensor, got {labels.dtype}.");

        int classes;
        long[] predicted;
        using (var scope = torch.NewDisposeScope())
        {
            if (logitsOrPredictions.dim() == 2)
            {
                classes = checked((int)logitsOrPredictions.shape[1]);
                if (classNames is not null && classNames.Count != classes)
                    throw new TinierHarException($"Metrics: {classNames.Count} class names given but the logits have {classes} classes.");
                if (logitsOrPredictions.shape[0] == 0 || classes == 0)
                    throw new TinierHarException($"Metrics: logits of shape [{string.Join(", ", logitsOrPredictions.shape)}] hold no predictions.");
                predicted = logitsOrPredictions.detach().cpu().argmax(1).to(torch.int64).data<long>().ToArray();
            }
            else if (logitsOrPredictions.dim() == 1)
            {
                if (classNames is null)
                    throw new TinierHarException("Metrics: with 1-D predictions the class names are required to know the number of classes.");
                if (logitsOrPredictions.is_floating_point() || logitsOrPredictions.is_complex() || logitsOrPredictions.dtype == torch.ScalarType.Bool)
                    throw new TinierHarException($"Metrics: 1-D predictions must be an integer tensor, got {logitsOrPredictions.dtype}.");
                classes = classNames.Count;
                predicted = logitsOrPredictions.detach().cpu().to(torch.int64).contiguous().data<long>().ToArray();
            }
            else
            {
                throw new TinierHarException(
                    $"Metrics: expected [N, K] logits or [N] predictions, got shape [{string.Join(", ", logitsOrPredictions.shape)}].");
            }
        }

        long[] truth;
        using (var scope = torch.NewDisposeScope())
            truth = labels.detach().cpu().to(torch.int64).contiguous().data<long>().ToArray();
        return Compute(truth, predicted, classes, classNames);
    }

    /// <summary>Arithmetic mean (as <c>numpy.mean</c>).</summary>
    /// <exception cref="TinierHarException">No values.</exception>
    public static double Mean(IEnumerable<double> xs)
    {
        var values = xs as IReadOnlyCollection<double> ?? xs.ToArray();
        if (values.Count == 0) throw new TinierHarException("Metrics: mean of no values.");
        double sum = 0;
        foreach (var x in values) sum += x;
        return sum / values.Count;
    }

    /// <summary>Median (as <c>numpy.median</c>: the mean of the two middle values when their count is even).</summary>
    /// <exception cref="TinierHarException">No values.</exception>
    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        if (s.Length == 0) throw new TinierHarException("Metrics: median of no values.");
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /// <summary>
    /// Sample standard deviation, sqrt(Σ(x−mean)² / (n−1)) (as <c>numpy.std(ddof=1)</c>); 0 for a single value
    /// (where numpy would give NaN); <see cref="MeanSpread"/> shows such a summary as "(one run)".
    /// </summary>
    /// <exception cref="TinierHarException">No values.</exception>
    public static double SampleStd(IEnumerable<double> xs)
    {
        var values = xs as IReadOnlyCollection<double> ?? xs.ToArray();
        double mean = Mean(values);
        if (values.Count == 1) return 0;
        double squares = 0;
        foreach (var x in values) squares += (x - mean) * (x - mean);
        return Math.Sqrt(squares / (values.Count - 1));
    }

    /// <summary>
    /// "mean ± std" with <paramref name="decimals"/> decimals, or "mean (one run)" when <paramref name="runs"/> ≤ 1: one
    /// run has no spread to show. Every table of macro F1 over folds and seeds writes it this way.
    /// </summary>
    public static string MeanSpread(double mean, double std, int runs, int decimals)
    {
        var f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        var m = mean.ToString(f, CultureInfo.InvariantCulture);
        return runs <= 1 ? m + " (one run)" : m + " ± " + std.ToString(f, CultureInfo.InvariantCulture);
    }
}
