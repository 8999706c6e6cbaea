using System.Net;
using System.Net.Sockets;

namespace RadBridge.Tests.Shared;

/// <summary>
/// Free TCP ports on loopback for the servers a test starts. The OS may offer a just-released ephemeral port again at
/// once, so ports already handed out in this test process are never handed out twice (two listeners of one server, or
/// two servers of parallel test classes, got the same port before). A race with another process stays possible.
/// </summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}
