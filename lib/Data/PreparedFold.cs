using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Data;

/// <summary>
/// One part (train, validation or test) of a prepared fold: its normalised windows as one contiguous row-major
/// <c>float[N·T·C]</c> plus class indices, with TorchSharp tensors built on first use
/// (reference: <c>dataloaders/__init__.py</c> <c>data_set.__getitem__</c>, which slices the normalised frame per window
/// and the DataLoader batches it to <c>(B, 1, T, C)</c>).
/// </summary>
public sealed class PreparedPart : IDisposable
{
    Tensor? _x, _y;
    readonly object _gate = new();

    internal PreparedPart(string name, int t, int c, int k, float[] x, int[] y, int[] windowIndices, int[] windowSubjects)
    {
        Name = name; T = t; C = c; X = x; Y = y; WindowIndices = windowIndices; WindowSubjects = windowSubjects;
        Subjects = windowSubjects.Distinct().Order().ToArray();
        ClassCounts = new int[k];
        foreach (var l in y) ClassCounts[l]++;
    }

    /// <summary>"train", "validation" or "test".</summary>
    public string Name { get; }
    public int Count => Y.Length;
    public int T { get; }
    public int C { get; }
    /// <summary>Normalised windows, window-major then time then channel (N × T × C).</summary>
    public float[] X { get; }
    /// <summary>Class index 0..K−1 of each window.</summary>
    public int[] Y { get; }
    /// <summary>Each window's index in the dataset's <see cref="WindowIndex"/>.</summary>
    public int[] WindowIndices { get; }
    /// <summary>Each window's subject.</summary>
    public int[] WindowSubjects { get; }
    /// <summary>Distinct subjects in this part, ascending.</summary>
    public IReadOnlyList<int> Subjects { get; }
    /// <summary>Windows per class index.</summary>
    public int[] ClassCounts { get; }

    /// <summary>float32 tensor (N, 1, T, C) of <see cref="X"/>, created on first use and owned by this part.</summary>
    public Tensor XTensor
    {
        get { lock (_gate) return _x ??= torch.tensor(X, [Count, 1, T, C]); }
    }

    /// <summary>int64 tensor (N) of <see cref="Y"/>, created on first use and owned by this part.</summary>
    public Tensor YTensor
    {
        get { lock (_gate) return _y ??= torch.tensor(Array.ConvertAll(Y, v => (long)v), [Count]); }
    }

    /// <summary>The window at <paramref name="i"/> as a T×C span.</summary>
    public ReadOnlySpan<float> Window(int i) => X.AsSpan(i * T * C, T * C);

    public void Dispose()
    {
        lock (_gate)
        {
            _x?.Dispose(); _x = null;
            _y?.Dispose(); _y = null;
        }
    }
}

/// <summary>
/// The train, validation and test data of one (dataset, fold, seed), normalised with the fold's statistics
/// (reference: <c>dataloader_base.py</c> <c>update_train_val_test_keys</c> + <c>normalization</c>; docs/reference.md sections 4 and 5).
/// See <see cref="Protocol"/> for the fold, split, shuffle and normalisation rules and how they differ from the reference.
/// </summary>
public sealed class PreparedFold : IDisposable
{
    PreparedFold(DatasetInfo info, FoldSpec fold, int seed, Normalization norm, PreparedPart train, PreparedPart validation, PreparedPart test)
    {
        Info = info; Fold = fold; Seed = seed; Normalization = norm; Train = train; Validation = validation; Test = test;
    }

    public DatasetInfo Info { get; }
    public FoldSpec Fold { get; }
    public int Seed { get; }
    /// <summary>Mean and sample std used (the divisor is std + <see cref="Protocol.Epsilon"/>).</summary>
    public Normalization Normalization { get; }
    public PreparedPart Train { get; }
    public PreparedPart Validation { get; }
    public PreparedPart Test { get; }

    /// <summary>Builds a fold; throws <see cref="TinierHarException"/> for a fold that cannot run.</summary>
    public static PreparedFold Create(LoadedDataset data, int fold, int seed)
    {
        var info = data.Info;
        var spec = data.Fold(fold);
        var split = Protocol.Split(info, spec, data.Windows, seed);
        var norm = Protocol.FitFold(info, spec, data.Recordings);
        return new PreparedFold(info, spec, seed, norm,
            Build("train", data, split.Train, norm),
            Build("validation", data, split.Validation, norm),
            Build("test", data, split.Test, norm));
    }

    static PreparedPart Build(string name, LoadedDataset data, int[] windows, Normalization norm)
    {
        var info = data.Info;
        int t = info.WindowT, c = info.C, size = t * c;
        var x = new float[checked(windows.Length * size)];
        var y = new int[windows.Length];
        var subjects = new int[windows.Length];
        var mean = norm.Mean;
        var div = new double[c];
        for (int j = 0; j < c; j++) div[j] = norm.Std[j] + Protocol.Epsilon;
        var index = data.Windows;
        Parallel.For(0, windows.Length, i =>
        {
            int w = windows[i];
            var src = data.Recordings[index.Recording[w]].Samples.AsSpan(index.Start[w] * c, size);
            var dst = x.AsSpan(i * size, size);
            for (int k = 0; k < size; k++)
            {
                int ch = k % c;
                dst[k] = (float)((src[k] - mean[ch]) / div[ch]);
            }
            y[i] = index.Label[w];
            subjects[i] = index.Subject[w];
        });
        return new PreparedPart(name, t, c, info.K, x, y, windows, subjects);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
