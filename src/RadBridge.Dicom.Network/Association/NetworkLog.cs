using Microsoft.Extensions.Logging;

namespace RadBridge.Dicom.Network.Association;

/// <summary>The network layer's log messages (source-generated); every one names its association.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(1, LogLevel.Information, "{Association}: connection from {Remote}")]
    public static partial void Connected(ILogger logger, string association, string remote);

    [LoggerMessage(2, LogLevel.Information, "{Association}: accepted {Calling} -> {Called}, {Accepted}/{Proposed} presentation contexts")]
    public static partial void Accepted(ILogger logger, string association, string calling, string called, int accepted, int proposed);

    [LoggerMessage(3, LogLevel.Warning, "{Association}: rejected {Calling} -> {Called}: {Reason}")]
    public static partial void Rejected(ILogger logger, string association, string calling, string called, string reason);

    [LoggerMessage(4, LogLevel.Warning, "{Association}: aborted: {Reason}")]
    public static partial void Aborted(ILogger logger, string association, string reason);

    [LoggerMessage(5, LogLevel.Information, "{Association}: released")]
    public static partial void Released(ILogger logger, string association);

    [LoggerMessage(6, LogLevel.Debug, "{Association}: {Command} on context {ContextId} ({AbstractSyntax})")]
    public static partial void Request(ILogger logger, string association, string command, byte contextId, string abstractSyntax);

    [LoggerMessage(7, LogLevel.Information, "{Association}: stored {SopInstanceUid} ({Bytes} bytes)")]
    public static partial void Stored(ILogger logger, string association, string sopInstanceUid, long bytes);

    [LoggerMessage(8, LogLevel.Warning, "{Association}: {Command} failed with status 0x{Status:X4}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string association, string command, ushort status, string reason);

    [LoggerMessage(9, LogLevel.Debug, "{Association}: state {From} --{Event}/{Action}--> {To}")]
    public static partial void Transition(ILogger logger, string association, UpperLayerState from, UpperLayerEvent @event, string action, UpperLayerState to);

    [LoggerMessage(10, LogLevel.Warning, "{Association}: connection refused: {Reason}")]
    public static partial void Refused(ILogger logger, string association, string reason);
}
