using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;

namespace RadBridge.Server.Auth;

/// <summary>
/// Removes expired and revoked token and authorization entries once an hour. OpenIddict keeps a row per issued token
/// (so refresh tokens can be revoked and replays detected); a script taking a token per run would otherwise grow the
/// table for ever.
/// </summary>
internal sealed partial class TokenPruning(IServiceScopeFactory scopes, ILogger<TokenPruning> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // Older than the longest token lifetime (refresh tokens: 14 days), so nothing still valid is touched.
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var threshold = DateTimeOffset.UtcNow - KeepFor;
                try
                {
                    var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken).ConfigureAwait(false);
                    var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken).ConfigureAwait(false);
                    LogPruned(logger, tokens, authorizations);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
                {
                    // Pruning is housekeeping: a busy or unreachable database just means next hour.
                    LogFailed(logger, ex);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Pruned {Tokens} expired tokens and {Authorizations} authorizations")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations);

    [LoggerMessage(LogLevel.Warning, "Token pruning failed; retrying in an hour")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
