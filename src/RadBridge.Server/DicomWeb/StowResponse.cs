using System.Text;
using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Query;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// The Store Instances Response Module (PS3.18 Annex I, Table I.1-1) and the HTTP status of a STOW-RS request
/// (PS3.18 Table 10.5.3-1): 200 when every instance was stored, 202 when some failed, 409 when all failed, 400 when all
/// failed because none could even be understood (bad syntax). Each failure's text goes into a <c>Warning</c> header.
/// </summary>
public sealed class StowResponse
{
    /// <summary>Failure texts put into Warning headers (the data set has every failure; headers stay small).</summary>
    private const int MaxWarnings = 20;

    private StowResponse(int statusCode, DicomDataset dataset, IReadOnlyList<string> warnings)
    {
        StatusCode = statusCode;
        Dataset = dataset;
        Warnings = warnings;
    }

    public int StatusCode { get; }

    /// <summary>Retrieve URL, Referenced SOP Sequence, Failed SOP Sequence, Other Failures Sequence.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>Values for the <c>Warning</c> header: <c>299 RadBridge "…"</c>.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <param name="results">One per instance, at least one.</param>
    /// <param name="retrieveUrl">The WADO-RS URLs of this server, for the Retrieve URLs.</param>
    /// <param name="requestStudy">The study named in the request URL, if any.</param>
    public static StowResponse Build(IReadOnlyList<StowInstanceResult> results, RetrieveUrlBuilder retrieveUrl, string? requestStudy)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(retrieveUrl);
        var stored = results.Where(r => r.Succeeded).ToList();
        var failed = results.Where(r => !r.Succeeded).ToList();

        var ds = new DicomDataset();
        // Type 2: the study's URL when the request concerned one study, empty otherwise.
        var studies = stored.Select(r => r.StudyInstanceUid).Where(s => s is not null).Distinct(StringComparer.Ordinal).ToList();
        var study = requestStudy ?? (studies.Count == 1 ? studies[0] : null);
        ds.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, study is null ? "" : retrieveUrl(study, null, null)!);

        var failedItems = failed.Where(f => f.IdentifiesInstance).Select(f =>
        {
            var item = Reference(f);
            item.AddOrUpdate(DicomTags.FailureReason, DicomVR.US, f.FailureReason!.Value);
            return item;
        }).ToList();
        if (failedItems.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.FailedSOPSequence, failedItems));

        var storedItems = stored.Select(s =>
        {
            var item = Reference(s);
            item.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, retrieveUrl(s.StudyInstanceUid!, s.SeriesInstanceUid, s.SopInstanceUid)!);
            return item;
        }).ToList();
        if (storedItems.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence, storedItems));

        var otherItems = failed.Where(f => !f.IdentifiesInstance).Select(f =>
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.FailureReason, DicomVR.US, f.FailureReason!.Value);
            return item;
        }).ToList();
        if (otherItems.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.OtherFailuresSequence, otherItems));

        int status;
        if (failed.Count == 0) status = StatusCodes.Status200OK;
        else if (stored.Count > 0) status = StatusCodes.Status202Accepted;
        else if (failed.All(f => f.FailureReason == StowFailureReasons.CannotUnderstand)) status = StatusCodes.Status400BadRequest;
        else status = StatusCodes.Status409Conflict;

        var warnings = failed.Take(MaxWarnings).Select(f => Warning(
            $"{f.Problem ?? "failed"} (Failure Reason {f.FailureReason!.Value:X4}H{(f.SopInstanceUid is null ? "" : ", SOP Instance " + f.SopInstanceUid)})")).ToList();
        if (failed.Count > MaxWarnings) warnings.Add(Warning($"{failed.Count - MaxWarnings} more instances failed; see the Failed SOP Sequence"));
        return new StowResponse(status, ds, warnings);
    }

    /// <summary>A Warning header value (RFC 7234 §5.5 form): code 299, agent, quoted ASCII text.</summary>
    public static string Warning(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 20).Append("299 RadBridge \"");
        foreach (var c in text.Length > 400 ? text[..397] + "..." : text)
        {
            sb.Append(c is < ' ' or > '~' ? '?' : c is '"' or '\\' ? '\'' : c);
        }
        return sb.Append('"').ToString();
    }

    private static DicomDataset Reference(StowInstanceResult r)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, r.SopClassUid ?? "");
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, r.SopInstanceUid ?? "");
        return item;
    }

}
