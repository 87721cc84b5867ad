namespace TinierHar.Studies;

/// <summary>
/// An exclusive lock between processes (and between threads of one process) on a lock file: the file is opened with
/// <see cref="FileShare.None"/>, which .NET takes as an advisory <c>flock</c> on Unix and a share lock on Windows. The
/// operating system releases it when the holder exits or dies, so a crashed worker never leaves a stale lock.
/// </summary>
public sealed class FileLock : IDisposable
{
    readonly FileStream _stream;

    FileLock(FileStream stream) => _stream = stream;

    /// <summary>The lock file's path.</summary>
    public string Path => _stream.Name;

    /// <summary>Takes the lock now, or returns null when another holder has it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        try
        {
            return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Waits for the lock (short sleeps); throws <see cref="TinierHarException"/> naming the file after <paramref name="timeout"/>.</summary>
    public static FileLock Acquire(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (int attempt = 0; ; attempt++)
        {
            if (TryAcquire(path) is { } held) return held;
            if (DateTime.UtcNow > deadline) throw new TinierHarException($"{path}: still locked by another process after {timeout.TotalSeconds:F0} s");
            Thread.Sleep(Math.Min(5 + attempt * 5, 100));
        }
    }

    /// <summary>True when some process holds the lock now (probes by taking and releasing it).</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        using var probe = TryAcquire(path);
        return probe is null;
    }

    public void Dispose() => _stream.Dispose();
}
