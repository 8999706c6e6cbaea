using System.CommandLine;

namespace RadBridge.Cli.Commands;

/// <summary>Options shared by the network commands.</summary>
internal static class NetworkOptions
{
    public static Argument<string> Host() => new("HOST") { Description = "Host name or IP address of the peer" };

    public static Argument<int> Port() => new("PORT") { Description = "TCP port of the peer" };

    public static Option<string> CallingAe() => new("--aet") { Description = "Our (calling) AE title", DefaultValueFactory = _ => "RADBRIDGE" };

    public static Option<string> CalledAe() => new("--called") { Description = "The peer's (called) AE title", DefaultValueFactory = _ => "ANY-SCP" };

    public static Option<int> Timeout() => new("--timeout") { Description = "Seconds to wait for the connection and for each answer", DefaultValueFactory = _ => 30 };
}
