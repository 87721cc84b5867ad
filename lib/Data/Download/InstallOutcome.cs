namespace TinierHar.Data.Download;

/// <summary>What <see cref="DatasetInstaller.InstallAsync"/> did for one dataset (failures are exceptions).</summary>
public enum InstallOutcome
{
    /// <summary>The marker file was already there: nothing was downloaded.</summary>
    Present,
    /// <summary>The archive was fetched (or found), verified, extracted and moved into place.</summary>
    Installed,
    /// <summary>No automatic source: the manual instructions were printed.</summary>
    Manual,
}
