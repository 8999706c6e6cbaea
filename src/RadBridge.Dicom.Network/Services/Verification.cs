using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services;

/// <summary>The Verification Service Class (PS3.4 Annex A): C-ECHO.</summary>
public static class Verification
{
    /// <summary>Verification SOP Class UID.</summary>
    public const string SopClassUid = "1.2.840.10008.1.1";

    /// <summary>Registers the Verification SCP.</summary>
    public static DimseServiceRegistry AddVerification(this DimseServiceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(DimseCommandField.CEchoRequest, [SopClassUid], new EchoScp());
    }

    /// <summary>Sends C-ECHO-RQ on the association and returns the response status.</summary>
    /// <exception cref="DicomNetworkException">No accepted Verification context, or the association failed.</exception>
    public static async Task<DimseStatus> EchoAsync(this DicomAssociation association, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        var context = association.FindContext(SopClassUid)
            ?? throw new DicomNetworkException("the peer did not accept the Verification SOP Class");
        var request = DimseCommand.Request(DimseCommandField.CEchoRequest, association.NextMessageId(), SopClassUid, hasDataSet: false);
        DimseStatus status = default;
        await foreach (var response in association.SendRequestAsync(context.Id, request, null, ct).ConfigureAwait(false))
        {
            status = response.Status;
        }
        return status;
    }

    private sealed class EchoScp : IDimseService
    {
        public async ValueTask HandleAsync(DimseRequest request, CancellationToken ct)
        {
            if (request.DataSet is { } data) await data.DrainAsync(ct).ConfigureAwait(false);
            await request.RespondAsync(DimseStatus.Success, ct: ct).ConfigureAwait(false);
        }
    }
}
