using System.Net;
using System.Net.Sockets;

namespace TinierHar.Tests;

/// <summary>Ports on 127.0.0.1 for the servers tests start (kernels, Jupyter, Slurm).</summary>
internal static class Loopback
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it; the caller binds it soon after).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
