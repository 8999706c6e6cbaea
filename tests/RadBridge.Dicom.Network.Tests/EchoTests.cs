using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Pdu;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Dicom.Network.Tests;

public sealed class EchoTests
{
    [Fact]
    public async Task Dcmtk_echoscu_is_answered_by_our_scp()
    {
        await using var scp = new TestScp();
        var result = await Dcmtk.RunAsync("echoscu", ["-aec", "RBSCP", "-aet", "ECHOSCU", "127.0.0.1", scp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Our_echo_reaches_dcmtk_storescp_and_releases()
    {
        using var storescp = new Dcmtk.StoreScp();
        var association = await DicomClient.ConnectAsync("127.0.0.1", storescp.Port,
            new DicomClientOptions { CalledAeTitle = "STORESCP" }, new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2"));
        await using (association)
        {
            Assert.True((await association.EchoAsync()).IsSuccess);
            Assert.True((await association.EchoAsync()).IsSuccess);
            await association.ReleaseAsync();
            Assert.Equal(UpperLayerState.Sta1, association.State);
        }
    }

    [Fact]
    public async Task Unknown_called_ae_is_rejected_with_reason_7_when_the_scp_is_restricted()
    {
        await using var scp = new TestScp(o => o with { RequireCalledAeTitle = true });
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync("127.0.0.1", scp.Port,
            new DicomClientOptions { CalledAeTitle = "WHO" }, new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2")));
        Assert.Equal(RejectResult.Permanent, ex.Reject.Result);
        Assert.Equal(RejectSource.ServiceUser, ex.Reject.Source);
        Assert.Equal(RejectReasons.CalledAeTitleNotRecognized, ex.Reject.Reason);
        Assert.Contains("called AE title not recognized", ex.Message, StringComparison.Ordinal);

        var dcmtk = await Dcmtk.RunAsync("echoscu", ["-aec", "WHO", "127.0.0.1", scp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.NotEqual(0, dcmtk.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", dcmtk.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Calling_ae_outside_the_allowed_list_is_rejected_with_reason_3()
    {
        await using var scp = new TestScp(o => o with { AllowedCallingAeTitles = new HashSet<string> { "FRIEND" } });
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync("127.0.0.1", scp.Port,
            new DicomClientOptions { CallingAeTitle = "STRANGER" }, new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2")));
        Assert.Equal(RejectReasons.CallingAeTitleNotRecognized, ex.Reject.Reason);
        var ok = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions { CallingAeTitle = "FRIEND" },
            new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2"));
        await using (ok)
        {
            Assert.True((await ok.EchoAsync()).IsSuccess);
            await ok.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Unsupported_abstract_and_transfer_syntaxes_are_refused_per_context()
    {
        await using var scp = new TestScp(o => o with { AcceptTransferSyntax = TransferSyntaxPolicies.Uncompressed });
        var proposal = new PresentationContextProposal()
            .Add("1.2.3.4.5.6", "1.2.840.10008.1.2")
            .Add("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.4.50")
            .Add(Verification.SopClassUid, "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2");
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions(), proposal);
        await using (association)
        {
            Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, association.PresentationContexts[0].Result);
            Assert.Equal(PresentationContextResult.TransferSyntaxesNotSupported, association.PresentationContexts[1].Result);
            // The first proposed syntax the policy accepts wins.
            Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, association.PresentationContexts[2].TransferSyntax);
            await association.ReleaseAsync();
        }
    }
}
