namespace TinierHar.Training;

/// <summary>
/// The reference's <c>adjust_learning_rate_class</c> (docs/reference.md section 5): watches the validation loss; the first call
/// sets the best loss and counter = 1; a loss that is not strictly lower than the best (ties included) increments the
/// counter; a strictly lower loss becomes the best and resets the counter to 0; when the counter reaches
/// <see cref="Patience"/> the learning rate is multiplied by <see cref="Factor"/> and the counter resets to 0.
/// </summary>
public sealed class LrAdapter(int patience = 7, double factor = 0.1)
{
    public int Patience { get; } = patience;
    public double Factor { get; } = factor;
    public double? Best { get; set; }
    public int Counter { get; set; }

    /// <summary>Feeds one validation loss; returns the new learning rate (unchanged unless the counter hit the patience).</summary>
    public double Step(double validationLoss, double learningRate)
    {
        if (Best is null) { Best = validationLoss; Counter = 1; return learningRate; }
        if (validationLoss < Best.Value) { Best = validationLoss; Counter = 0; return learningRate; }
        if (++Counter == Patience) { Counter = 0; return learningRate * Factor; }
        return learningRate;
    }
}

/// <summary>
/// The reference's <c>EarlyStopping</c> (docs/reference.md section 5): the first call sets the best validation loss (and the best
/// checkpoint is saved); afterwards a loss lower than OR EQUAL to the best is an improvement (counter = 0, checkpoint
/// saved), anything else increments the counter; <see cref="Stop"/> once the counter reaches <see cref="Patience"/>.
/// </summary>
public sealed class EarlyStopping(int patience = 15)
{
    public int Patience { get; } = patience;
    public double? Best { get; set; }
    public int Counter { get; set; }
    public bool Stop { get; set; }

    /// <summary>Feeds one validation loss; returns true when it is an improvement (save the best checkpoint).</summary>
    public bool Check(double validationLoss)
    {
        if (Best is null || validationLoss <= Best.Value) { Best = validationLoss; Counter = 0; return true; }
        if (++Counter >= Patience) Stop = true;
        return false;
    }
}
