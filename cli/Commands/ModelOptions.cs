using TinierHar.Models;

namespace TinierHar.Cli.Commands;

/// <summary>The model options shared by the commands: --model, --variant, --filters, --blocks, --gru-units.</summary>
public static class ModelOptions
{
    public static ModelSpec Read(Args a)
    {
        var spec = new ModelSpec(
            a.Require("model"),
            a.Get("variant") ?? ModelVariant.Full,
            Filters: a.GetInt("filters", min: 1),
            Blocks: a.GetInt("blocks", min: 0),
            RecurrentUnits: a.GetInt("gru-units", min: 1));
        try { return spec.Resolve(); }
        catch (TinierHarException e) { throw new UsageException(e.Message); }
    }
}
