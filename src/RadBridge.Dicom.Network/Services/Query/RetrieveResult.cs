using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>A C-MOVE or C-GET response as the SCU sees it: status, sub-operation counts, failed instances.</summary>
public sealed record RetrieveResult(DimseStatus Status, int? Remaining, int Completed, int Failed, int Warning, string? ErrorComment, IReadOnlyList<string> FailedSopInstanceUids)
{
    internal static RetrieveResult From(DimseResponse response, DicomTransferSyntax transferSyntax)
    {
        var c = response.Command;
        IReadOnlyList<string> failed = [];
        // A final response may carry the Failed SOP Instance UID List (0008,0058) as its identifier.
        if (response.DataSet is { Length: > 0 } data) failed = DimseIdentifier.Decode(data, transferSyntax).GetStrings(new DicomTag(0x0008, 0x0058));
        return new RetrieveResult(c.Status, c.NumberOfRemainingSuboperations, c.NumberOfCompletedSuboperations ?? 0, c.NumberOfFailedSuboperations ?? 0,
            c.NumberOfWarningSuboperations ?? 0, c.ErrorComment, failed);
    }
}
