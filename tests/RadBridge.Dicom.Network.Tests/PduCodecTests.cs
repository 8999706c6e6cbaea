using System.Buffers.Binary;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Tests;

public sealed class PduCodecTests
{
    internal static AssociateRequestPdu FullRequest() => new()
    {
        CalledAeTitle = "ARCHIVE",
        CallingAeTitle = "MODALITY1",
        PresentationContexts =
        [
            new PresentationContextRequest(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"]),
            new PresentationContextRequest(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
        ],
        UserInformation = new UserInformation
        {
            MaximumLength = 16384,
            ImplementationClassUid = "1.2.3.4.5",
            ImplementationVersionName = "TEST_1",
            AsynchronousOperationsWindow = new AsynchronousOperationsWindow(5, 1),
            RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, true)],
            ExtendedNegotiations = [new SopClassExtendedNegotiation("1.2.840.10008.5.1.4.1.2.2.1", new byte[] { 1, 0, 1 })],
            CommonExtendedNegotiations = [new SopClassCommonExtendedNegotiation("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.4.2", ["1.2.840.10008.5.1.4.1.1.2.1", "1.2.3"])],
            UserIdentityRequest = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "secret"u8.ToArray()),
        },
    };

    [Fact]
    public void Associate_request_with_every_sub_item_round_trips()
    {
        var rq = FullRequest();
        var bytes = PduEncoder.Encode(rq);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal((uint)(bytes.Length - 6), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2)));
        var back = Assert.IsType<AssociateRequestPdu>(PduDecoder.Decode(bytes));
        Assert.Equal("ARCHIVE", back.CalledAeTitle);
        Assert.Equal("MODALITY1", back.CallingAeTitle);
        Assert.Equal(DicomApplicationContext.Name, back.ApplicationContextName);
        Assert.Equal(2, back.PresentationContexts.Count);
        Assert.Equal(rq.PresentationContexts[1].TransferSyntaxes, back.PresentationContexts[1].TransferSyntaxes);
        var u = back.UserInformation;
        Assert.Equal(16384u, u.MaximumLength);
        Assert.Equal("1.2.3.4.5", u.ImplementationClassUid);
        Assert.Equal("TEST_1", u.ImplementationVersionName);
        Assert.Equal(new AsynchronousOperationsWindow(5, 1), u.AsynchronousOperationsWindow);
        Assert.Equal(rq.UserInformation.RoleSelections, u.RoleSelections);
        Assert.Equal([1, 0, 1], u.ExtendedNegotiations.Single().ApplicationInformation.ToArray());
        var common = u.CommonExtendedNegotiations.Single();
        Assert.Equal("1.2.840.10008.4.2", common.ServiceClassUid);
        Assert.Equal(["1.2.840.10008.5.1.4.1.1.2.1", "1.2.3"], common.RelatedGeneralSopClassUids);
        Assert.NotNull(u.UserIdentityRequest);
        Assert.Equal(UserIdentityType.UsernameAndPasscode, u.UserIdentityRequest!.Type);
        Assert.Equal("secret"u8.ToArray(), u.UserIdentityRequest.SecondaryField.ToArray());
        Assert.Equal(bytes, PduEncoder.Encode(back));
    }

    [Fact]
    public void Associate_accept_round_trips_with_refused_context_and_identity_response()
    {
        var ac = new AssociateAcceptPdu
        {
            CalledAeTitle = "ARCHIVE",
            CallingAeTitle = "MODALITY1",
            PresentationContexts =
            [
                new PresentationContextAccept(1, PresentationContextResult.Acceptance, "1.2.840.10008.1.2"),
                new PresentationContextAccept(3, PresentationContextResult.AbstractSyntaxNotSupported, ""),
            ],
            UserInformation = new UserInformation { MaximumLength = 0, ImplementationClassUid = "1.2.3", UserIdentityServerResponse = new byte[] { 9, 9 } },
        };
        var bytes = PduEncoder.Encode(ac);
        var back = Assert.IsType<AssociateAcceptPdu>(PduDecoder.Decode(bytes));
        Assert.Equal(ac.PresentationContexts, back.PresentationContexts);
        Assert.Equal([9, 9], back.UserInformation.UserIdentityServerResponse!.Value.ToArray());
        Assert.Equal(bytes, PduEncoder.Encode(back));
    }

    [Fact]
    public void Fixed_size_pdus_have_the_layout_of_ps38()
    {
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 4, 0, 1, 1, 7 }, PduEncoder.Encode(new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAeTitleNotRecognized)));
        Assert.Equal(new byte[] { 5, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduEncoder.Encode(new ReleaseRequestPdu()));
        Assert.Equal(new byte[] { 6, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduEncoder.Encode(new ReleaseResponsePdu()));
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 4, 0, 0, 2, 6 }, PduEncoder.Encode(new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue)));
        var rj = Assert.IsType<AssociateRejectPdu>(PduDecoder.Decode(new byte[] { 3, 0, 0, 0, 0, 4, 0, 2, 3, 1 }));
        Assert.Equal(new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 1), rj);
        Assert.Contains("temporary congestion", rj.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Data_transfer_keeps_pdvs_flags_and_bytes()
    {
        var pdu = new DataTransferPdu([new PresentationDataValue(1, true, true, new byte[] { 1, 2, 3 }), new PresentationDataValue(3, false, false, new byte[] { 4 })]);
        var bytes = PduEncoder.Encode(pdu);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 0, 16, 0, 0, 0, 5, 1, 3, 1, 2, 3, 0, 0, 0, 3, 3, 0, 4 }, bytes);
        var back = Assert.IsType<DataTransferPdu>(PduDecoder.Decode(bytes));
        Assert.Equal(2, back.Values.Count);
        Assert.True(back.Values[0].IsCommand && back.Values[0].IsLast);
        Assert.False(back.Values[1].IsCommand || back.Values[1].IsLast);
        Assert.Equal([4], back.Values[1].Data.ToArray());

        var header = new byte[12];
        PduEncoder.WriteSinglePdvHeader(header, 1, true, true, 3);
        Assert.Equal(bytes.AsSpan(0, 12).ToArray().Select((b, i) => i < 6 ? (i == 5 ? (byte)9 : b) : b), header);
    }

    public static TheoryData<string, byte[], AbortReason> Malformed() => new()
    {
        { "unknown PDU type", [0x08, 0, 0, 0, 0, 4, 0, 0, 0, 0], AbortReason.UnrecognizedPdu },
        { "release RQ of length 5", [5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0], AbortReason.InvalidPduParameterValue },
        { "abort of length 2", [7, 0, 0, 0, 0, 2, 0, 0], AbortReason.InvalidPduParameterValue },
        { "reject with result 3", [3, 0, 0, 0, 0, 4, 0, 3, 1, 1], AbortReason.InvalidPduParameterValue },
        { "reject with source 0", [3, 0, 0, 0, 0, 4, 0, 1, 0, 1], AbortReason.InvalidPduParameterValue },
        { "P-DATA without PDV", [4, 0, 0, 0, 0, 0], AbortReason.InvalidPduParameterValue },
        { "PDV claiming more than the PDU", [4, 0, 0, 0, 0, 7, 0, 0, 0, 0x40, 1, 3, 0], AbortReason.InvalidPduParameterValue },
        { "PDV length 1", [4, 0, 0, 0, 0, 5, 0, 0, 0, 1, 1], AbortReason.InvalidPduParameterValue },
        { "PDV with even context id", [4, 0, 0, 0, 0, 7, 0, 0, 0, 3, 2, 3, 0], AbortReason.InvalidPduParameterValue },
        { "PDV with reserved control bits", [4, 0, 0, 0, 0, 7, 0, 0, 0, 3, 1, 0x83, 0], AbortReason.InvalidPduParameterValue },
        { "length field larger than the bytes", [5, 0, 0, 0, 1, 0, 0, 0, 0, 0], AbortReason.InvalidPduParameterValue },
        { "header only 3 bytes", [1, 0, 0], AbortReason.InvalidPduParameterValue },
        { "A-ASSOCIATE-RQ shorter than 68", [1, 0, 0, 0, 0, 10, 0, 1, 0, 0, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41], AbortReason.InvalidPduParameterValue },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_pdus_are_typed_errors_with_the_abort_reason(string why, byte[] bytes, AbortReason reason)
    {
        var ex = Assert.Throws<DicomPduException>(() => PduDecoder.Decode(bytes));
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(AbortSource.ServiceProvider, DicomPduException.AbortSource);
        Assert.False(string.IsNullOrEmpty(ex.Message), why);
    }

    [Fact]
    public void Request_item_faults_are_reported_not_thrown_as_crashes()
    {
        var good = PduEncoder.Encode(FullRequest());
        // Every truncation of a valid A-ASSOCIATE-RQ, with its length field fixed up, is a typed error.
        for (var cut = 6; cut < good.Length; cut++)
        {
            var bytes = good.AsSpan(0, cut).ToArray();
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), (uint)(cut - 6));
            Assert.Throws<DicomPduException>(() => PduDecoder.Decode(bytes));
        }
        // Every single-byte corruption either decodes or fails with a typed error; nothing else escapes.
        var random = new Random(1234);
        for (var i = 0; i < 4000; i++)
        {
            var bytes = (byte[])good.Clone();
            var at = random.Next(6, bytes.Length);
            bytes[at] = (byte)random.Next(256);
            try { PduDecoder.Decode(bytes); }
            catch (DicomPduException) { }
        }
    }

    [Fact]
    public void Item_structure_errors_name_their_reason()
    {
        var good = PduEncoder.Encode(FullRequest());
        // The first item after the 68-byte fixed part is the application context (10H); make it an unknown type.
        var unknown = (byte[])good.Clone();
        unknown[6 + 68] = 0x11;
        Assert.Equal(AbortReason.UnrecognizedPduParameter, Assert.Throws<DicomPduException>(() => PduDecoder.Decode(unknown)).Reason);
        // A presentation context ID must be odd.
        var even = (byte[])good.Clone();
        var pcAt = Array.IndexOf(even, (byte)0x20, 6 + 68);
        even[pcAt + 4] = 2;
        Assert.Equal(AbortReason.InvalidPduParameterValue, Assert.Throws<DicomPduException>(() => PduDecoder.Decode(even)).Reason);
    }

    [Fact]
    public void Ae_titles_are_validated_when_encoding()
    {
        var rq = FullRequest() with { CalledAeTitle = "A_TITLE_LONGER_THAN_16" };
        Assert.Throws<DicomNetworkException>(() => PduEncoder.Encode(rq));
        Assert.Throws<DicomNetworkException>(() => PduEncoder.Encode(FullRequest() with { CallingAeTitle = "BAD\\AE" }));
    }
}
