using TinierHar.Export;

namespace TinierHar.Tests.Export;

/// <summary>The ping-pong activation plan of the C exporters: per-buffer sizes and the declarations they become.</summary>
public class BufferPlanTests
{
    [Fact]
    public void Each_buffer_is_sized_to_the_largest_step_that_writes_it()
    {
        var plan = new BufferPlan([("a", 10), ("b", 30), ("c", 20), ("d", 5)]);
        Assert.Equal([20, 30], plan.BufferSizes);
        Assert.Equal("buffer0", plan.NameOf("c"));
        Assert.Equal("buffer1", plan.NameOf("d"));
        var sb = new System.Text.StringBuilder();
        Assert.Equal(4L * (20 + 30), plan.Declare(sb));
        Assert.Contains("static float buffer0[20];", sb.ToString());
        Assert.Contains("static float buffer1[30];", sb.ToString());
    }

    [Fact]
    public void A_single_step_needs_one_buffer()
    {
        var plan = new BufferPlan([("gru", 7)]);
        var sb = new System.Text.StringBuilder();
        Assert.Equal(28L, plan.Declare(sb));
        Assert.DoesNotContain("buffer1", sb.ToString());
    }

    [Fact]
    public void Unknown_or_repeated_steps_are_errors()
    {
        Assert.Throws<TinierHarException>(() => new BufferPlan([("a", 1), ("a", 2)]));
        Assert.Throws<TinierHarException>(() => new BufferPlan([("a", 1)]).NameOf("b"));
    }
}
