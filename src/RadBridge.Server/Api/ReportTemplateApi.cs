using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RadBridge.Reporting.Templates;

namespace RadBridge.Server.Api;

/// <summary><c>GET /api/report-templates</c>: the report templates the editor offers for a study, in zh-CN and English.</summary>
public static class ReportTemplateApi
{
    public static IEndpointRouteBuilder MapReportTemplateApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/report-templates", (string? modality, string? bodyPart, string? language, ReportTemplateCatalog catalog) =>
                TypedResults.Ok(catalog.Find(modality, bodyPart, language)))
            .RequireAuthorization()
            .WithName("GetReportTemplates")
            .WithSummary("Report templates for a modality and body part (both optional), in zh-CN and English")
            .WithDescription("Templates of the modality (CR and DR count as DX) and body part (synonyms such as HEAD/BRAIN match), " +
                "then the generic ones (modality and bodyPart \"*\"). Optional language=zh-CN|en keeps one language. Each template " +
                "gives the starting findings and impression and its structured fields (e.g. Lung-RADS, BI-RADS) with their options; " +
                "an empty options list means free text.")
            .Produces<IReadOnlyList<ReportTemplate>>()
            .Produces(StatusCodes.Status401Unauthorized);
        return app;
    }
}
