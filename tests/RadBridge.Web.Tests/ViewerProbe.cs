using System.Text.Json;
using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>What the viewer shows, read from a page: its published state and the pixels of its active viewport.</summary>
internal static class ViewerProbe
{
    public const string ActiveCanvas = ".rbv-vp.rbv-active .rbv-vp-canvas";

    public static async Task<JsonElement> StateAsync(BrowserPage page) =>
        await page.Page.EvaluateAsync<JsonElement>("() => JSON.parse(JSON.stringify(window.__radbridgeViewer))");

    /// <summary>Variance of the luminance of a screenshot of the active viewport, decoded by the browser's own PNG decoder.</summary>
    public static Task<double> CanvasVarianceAsync(BrowserPage page) => VarianceAsync(page, page.Page.Locator(ActiveCanvas));

    public static async Task<double> VarianceAsync(BrowserPage page, ILocator element)
    {
        var png = await element.ScreenshotAsync();
        return await page.Page.EvaluateAsync<double>(
            """
            async (b64) => {
              const img = new Image();
              img.src = 'data:image/png;base64,' + b64;
              await img.decode();
              const c = document.createElement('canvas');
              c.width = img.naturalWidth; c.height = img.naturalHeight;
              const g = c.getContext('2d');
              g.drawImage(img, 0, 0);
              const d = g.getImageData(0, 0, c.width, c.height).data;
              let n = 0, sum = 0, sq = 0;
              for (let i = 0; i < d.length; i += 4) { const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]; n++; sum += y; sq += y * y; }
              const mean = sum / n;
              return sq / n - mean * mean;
            }
            """, Convert.ToBase64String(png));
    }
}
