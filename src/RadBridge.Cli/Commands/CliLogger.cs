using Microsoft.Extensions.Logging;

namespace RadBridge.Cli.Commands;

/// <summary>Log lines on stderr ("time level message") for the long-running commands; no dependency on a logging framework.</summary>
internal sealed class CliLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly LogLevel _minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the CLI logs to stderr only");

    public void Dispose() { }

    private sealed class Logger(CliLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {Level(logLevel)} {formatter(state, exception)}";
            lock (owner._gate) Console.Error.WriteLine(line);
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info ",
            LogLevel.Warning => "warn ",
            LogLevel.Error => "error",
            _ => "crit ",
        };
    }
}
