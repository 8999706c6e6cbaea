using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenIddict.Abstractions;
using RadBridge.Server.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RadBridge.Server.Auth;

/// <summary>
/// Registers the web app (<c>radbridge-web</c>, a public client using authorization code + PKCE) at start-up, and adds
/// this server's <c>{base}/callback</c> to its redirect URIs when the address changed since the last start.
/// </summary>
internal sealed class WebClientRegistration(IServiceScopeFactory scopes, ServeOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var redirects = RedirectUris(options);
            var existing = await manager.FindByClientIdAsync(RadBridgeAuthentication.WebClientId, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                var descriptor = new OpenIddictApplicationDescriptor
                {
                    ClientId = RadBridgeAuthentication.WebClientId,
                    ClientType = ClientTypes.Public,
                    ConsentType = ConsentTypes.Implicit,
                    DisplayName = "RadBridge web app",
                    Permissions =
                    {
                        Permissions.Endpoints.Authorization,
                        Permissions.Endpoints.Token,
                        Permissions.GrantTypes.AuthorizationCode,
                        Permissions.GrantTypes.RefreshToken,
                        Permissions.ResponseTypes.Code,
                        Permissions.Scopes.Profile,
                        Permissions.Prefixes.Scope + Scopes.OfflineAccess,
                    },
                    Requirements = { Requirements.Features.ProofKeyForCodeExchange },
                };
                descriptor.RedirectUris.UnionWith(redirects);
                await manager.CreateAsync(descriptor, cancellationToken).ConfigureAwait(false);
                return;
            }
            var current = new OpenIddictApplicationDescriptor();
            await manager.PopulateAsync(current, existing, cancellationToken).ConfigureAwait(false);
            if (!redirects.IsSubsetOf(current.RedirectUris))
            {
                current.RedirectUris.UnionWith(redirects);
                await manager.UpdateAsync(existing, current, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static HashSet<Uri> RedirectUris(ServeOptions options)
    {
        var uris = new HashSet<Uri> { new($"{ArchiveServer.PublicUrl(options)}/callback") };
        if (System.Net.IPAddress.IsLoopback(options.Bind))
        {
            // A browser on the same machine may use either name for loopback.
            uris.Add(new Uri($"{(options.TlsCertificatePath is null ? "http" : "https")}://localhost:{options.HttpPort}/callback"));
        }
        return uris;
    }
}
