using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>The C-GET SCU (PS3.4 C.4.3): asks for the matches and takes their C-STORE sub-operations on the same association.</summary>
public static class GetScu
{
    // Storage SOP classes proposed by default (with the SCP role) when the caller names none: the common image, RT,
    // SR and document objects. At most 127 contexts remain beside the C-GET one.
    private static readonly string[] CommonKeywords =
    [
        "CTImageStorage", "EnhancedCTImageStorage", "MRImageStorage", "EnhancedMRImageStorage", "ComputedRadiographyImageStorage",
        "DigitalXRayImageStorageForPresentation", "DigitalXRayImageStorageForProcessing", "DigitalMammographyXRayImageStorageForPresentation",
        "UltrasoundImageStorage", "UltrasoundMultiFrameImageStorage", "SecondaryCaptureImageStorage",
        "MultiFrameGrayscaleByteSecondaryCaptureImageStorage", "MultiFrameGrayscaleWordSecondaryCaptureImageStorage",
        "MultiFrameTrueColorSecondaryCaptureImageStorage", "NuclearMedicineImageStorage", "PositronEmissionTomographyImageStorage",
        "XRayAngiographicImageStorage", "XRayRadiofluoroscopicImageStorage", "RTImageStorage", "RTDoseStorage", "RTStructureSetStorage",
        "RTPlanStorage", "BasicTextSRStorage", "EnhancedSRStorage", "ComprehensiveSRStorage", "GrayscaleSoftcopyPresentationStateStorage",
        "VLPhotographicImageStorage", "EncapsulatedPDFStorage", "SegmentationStorage", "KeyObjectSelectionDocumentStorage",
    ];

    /// <summary>The default storage SOP classes a C-GET proposes.</summary>
    public static IReadOnlyList<string> CommonStorageSopClasses { get; } =
        [.. CommonKeywords.Select(k => DicomUidRegistry.All.FirstOrDefault(u => u.Keyword == k)?.Uid).OfType<string>()];

    /// <summary>
    /// A proposal for C-GET on <paramref name="model"/>: the GET context, and one context per storage SOP class (Explicit
    /// and Implicit VR Little Endian) with a role selection item giving us the SCP role.
    /// </summary>
    public static PresentationContextProposal Propose(QueryModel model, IEnumerable<string>? storageSopClasses = null)
    {
        var proposal = new PresentationContextProposal()
            .Add(QueryRetrieveSopClasses.For(model, DimseCommandField.CGetRequest), DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid);
        foreach (var sopClass in (storageSopClasses ?? CommonStorageSopClasses).Distinct(StringComparer.Ordinal).Take(127))
        {
            proposal.Add(sopClass, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid);
            proposal.RoleSelections.Add(new RoleSelection(sopClass, ScuRole: false, ScpRole: true));
        }
        return proposal;
    }

    /// <summary>
    /// Sends C-GET-RQ and serves the C-STORE-RQs that come back through <paramref name="handler"/> (streamed to temp
    /// files like the Storage SCP does); reports pending counts and returns the final response.
    /// </summary>
    /// <exception cref="DicomNetworkException">No accepted GET context, a protocol violation, or the association failed.</exception>
    public static async Task<RetrieveResult> GetAsync(this DicomAssociation association, QueryModel model, DicomDataset identifier, IStoreHandler handler,
        StorageScpOptions? storageOptions = null, Action<RetrieveResult>? onPending = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(handler);
        var sopClass = QueryRetrieveSopClasses.For(model, DimseCommandField.CGetRequest);
        var context = association.FindContext(sopClass) ?? throw new DicomNetworkException($"the peer did not accept {model} C-GET ({sopClass})");
        var request = DimseCommand.Request(DimseCommandField.CGetRequest, association.NextMessageId(), sopClass, hasDataSet: true);
        request.Priority = DimsePriority.Medium;
        var bytes = DimseIdentifier.Encode(identifier, context.TransferSyntax!);
        await association.SendMessageAsync(context.Id, request, (s, c) => s.WriteAsync(bytes, c), ct).ConfigureAwait(false);
        var storage = new StorageScp(handler, storageOptions);
        while (true)
        {
            var message = await association.ReadMessageAsync(association.ResponseTimeout, ct).ConfigureAwait(false)
                ?? throw await association.ProtocolErrorAsync("A-RELEASE-RQ while waiting for the C-GET-RSP").ConfigureAwait(false);
            var command = message.Command;
            if (command.CommandField == DimseCommandField.CStoreRequest)
            {
                await storage.HandleAsync(new DimseRequest(association, message), ct).ConfigureAwait(false);
                if (message.DataSet is { IsComplete: false } rest) await rest.DrainAsync(ct).ConfigureAwait(false);
                continue;
            }
            if (command.CommandField != DimseCommandField.CGetResponse || command.MessageIdBeingRespondedTo != request.MessageId)
            {
                throw await association.ProtocolErrorAsync($"{command.CommandField.Name()} while waiting for the C-GET-RSP to message {request.MessageId}").ConfigureAwait(false);
            }
            byte[]? data = null;
            if (message.DataSet is { } reader)
            {
                using var buffer = new MemoryStream();
                await reader.CopyToAsync(buffer, ct).ConfigureAwait(false);
                data = buffer.ToArray();
            }
            var result = RetrieveResult.From(new DimseResponse(command, data), context.TransferSyntax!);
            if (!command.Status.IsPending) return result;
            onPending?.Invoke(result);
        }
    }
}
