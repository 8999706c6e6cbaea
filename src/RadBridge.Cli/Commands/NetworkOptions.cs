using System.CommandLine;
using RadBridge.Dicom.Network.Association;

namespace RadBridge.Cli.Commands;

/// <summary>Options shared by the network commands.</summary>
internal static class NetworkOptions
{
    public static Argument<string> Host() => new("HOST") { Description = "Host name or IP address of the peer" };

    public static Argument<int> Port() => new("PORT") { Description = "TCP port of the peer" };

    public static Option<string> CallingAe() => new("--aet") { Description = "Our (calling) AE title", DefaultValueFactory = _ => "RADBRIDGE" };

    public static Option<string> CalledAe() => new("--called") { Description = "The peer's (called) AE title", DefaultValueFactory = _ => "ANY-SCP" };

    public static Option<int> Timeout() => new("--timeout") { Description = "Seconds to wait for the connection and for each answer", DefaultValueFactory = _ => 30 };

    /// <summary>Client options from the shared options: AE titles, and every timeout set to --timeout seconds.</summary>
    public static DicomClientOptions Client(ParseResult parse, Option<string> aet, Option<string> called, Option<int> timeout)
    {
        var seconds = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout)));
        return new DicomClientOptions
        {
            CallingAeTitle = parse.GetValue(aet)!,
            CalledAeTitle = parse.GetValue(called)!,
            NetworkTimeout = seconds,
            ArtimTimeout = seconds,
            DimseTimeout = seconds,
        };
    }
}
