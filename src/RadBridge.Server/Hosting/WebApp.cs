using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace RadBridge.Server.Hosting;

/// <summary>
/// Serves the built web app (web/, built into .build/web by <c>./radbridge serve</c>) from the server's web root: its
/// hashed assets cached for a year, <c>index.html</c> revalidated on every load, and every other path that is not an
/// API answered with <c>index.html</c> so the app's client-side routes (<c>/worklist</c>, <c>/viewer/…</c>) survive a
/// reload. Unknown API paths stay 404: a client calling a wrong endpoint must not get HTML with a 200.
/// </summary>
internal static class WebApp
{
    private static readonly string[] ServerPrefixes = ["/assets", "/api", "/dicomweb", "/wado", "/connect", "/account", "/hubs", "/health", "/metrics", "/openapi"];

    public static void UseWebApp(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx =>
            {
                var headers = ctx.Context.Response.Headers;
                headers[HeaderNames.CacheControl] = ctx.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal)
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
            },
        });
    }

    public static void MapWebApp(this IEndpointRouteBuilder app)
    {
        // GET/HEAD only, so a wrong method on a real route still gets 405 rather than the app's HTML.
        // "{*path}" rather than ":nonfile": the app's routes carry UIDs such as /viewer/1.2.840…, which look like file names.
        app.MapFallback("{*path}", (HttpContext http, IWebHostEnvironment env) =>
            {
                if (IsServerPath(http.Request.Path)) return Results.NotFound();
                var index = env.WebRootFileProvider.GetFileInfo("index.html");
                if (!index.Exists || index.PhysicalPath is null) return Results.NotFound();
                http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
                return Results.File(index.PhysicalPath, "text/html; charset=utf-8");
            })
            .WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]))
            .ExcludeFromDescription();
    }

    private static bool IsServerPath(PathString path)
    {
        foreach (var prefix in ServerPrefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
