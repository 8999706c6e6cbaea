using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Pdu;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>Our SCP's answers to the optional negotiations of PS3.7 D.3.3, and user identity through DCMTK storescu.</summary>
public sealed class NegotiationTests
{
    private const string CtStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string MrStorage = "1.2.840.10008.5.1.4.1.1.4";
    private const string ImplicitLittle = "1.2.840.10008.1.2";

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Window_roles_and_extended_negotiation_are_answered_for_accepted_sop_classes_only()
    {
        await using var scp = new TestScp();
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "RBSCP",
            CallingAeTitle = "RAWSCU",
            PresentationContexts =
            [
                new PresentationContextRequest(1, Verification.SopClassUid, [ImplicitLittle]),
                new PresentationContextRequest(3, CtStorage, [ImplicitLittle]),
            ],
            UserInformation = new UserInformation
            {
                MaximumLength = 16384,
                ImplementationClassUid = "1.2.3.4",
                AsynchronousOperationsWindow = new AsynchronousOperationsWindow(5, 7),
                RoleSelections =
                [
                    new RoleSelection(CtStorage, ScuRole: true, ScpRole: true),
                    new RoleSelection(Verification.SopClassUid, ScuRole: true, ScpRole: false),
                    new RoleSelection(MrStorage, ScuRole: true, ScpRole: true), // no context proposed for it
                ],
                ExtendedNegotiations =
                [
                    new SopClassExtendedNegotiation(CtStorage, new byte[] { 3, 0, 2, 0, 1, 0 }),
                    new SopClassExtendedNegotiation(Verification.SopClassUid, new byte[] { 1 }),
                ],
            },
        };
        var answer = Assert.IsType<AssociateAcceptPdu>(await ExchangeAsync(scp.Port, request));
        var info = answer.UserInformation;

        Assert.Equal(new AsynchronousOperationsWindow(1, 1), info.AsynchronousOperationsWindow);
        Assert.Equal(2, info.RoleSelections.Count);
        // The requestor may be SCU of what we serve, and SCP of a storage SOP class only (where a C-GET sends it the
        // C-STORE sub-operations); Verification's SCP role stays ours.
        Assert.Equal(new RoleSelection(CtStorage, true, true), info.RoleSelections.Single(r => r.SopClassUid == CtStorage));
        Assert.Equal(new RoleSelection(Verification.SopClassUid, true, false), info.RoleSelections.Single(r => r.SopClassUid == Verification.SopClassUid));
        var ext = Assert.Single(info.ExtendedNegotiations);
        Assert.Equal(CtStorage, ext.SopClassUid);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 0 }, ext.ApplicationInformation.ToArray());
        Assert.Null(info.UserIdentityServerResponse);
    }

    [Fact]
    public async Task Requestor_scp_role_is_accepted_when_the_server_is_configured_to_invoke_on_it()
    {
        await using var scp = new TestScp(o => o with { AcceptRequestorScpRole = uid => uid == CtStorage });
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "RBSCP",
            CallingAeTitle = "RAWSCU",
            PresentationContexts = [new PresentationContextRequest(1, CtStorage, [ImplicitLittle])],
            UserInformation = new UserInformation
            {
                MaximumLength = 16384,
                ImplementationClassUid = "1.2.3.4",
                RoleSelections = [new RoleSelection(CtStorage, ScuRole: false, ScpRole: true)],
            },
        };
        var answer = Assert.IsType<AssociateAcceptPdu>(await ExchangeAsync(scp.Port, request));
        Assert.Equal(new RoleSelection(CtStorage, false, true), Assert.Single(answer.UserInformation.RoleSelections));
        Assert.Null(answer.UserInformation.AsynchronousOperationsWindow);
        Assert.Empty(answer.UserInformation.ExtendedNegotiations);
    }

    [Fact]
    public async Task Storescu_with_the_right_username_and_passcode_stores_and_gets_a_positive_response()
    {
        await using var scp = new TestScp(o => o with { Authorizer = new UsernamePasscodeAuthorizer(new Dictionary<string, string> { ["alice"] = "s3cret" }) });
        var sample = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
        var result = await Dcmtk.RunAsync("storescu", ["-aec", "RBSCP", "--user", "alice", "--password", "s3cret", "--pos-response", "127.0.0.1", Port(scp.Port), sample.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(scp.Handler.Stored.ContainsKey(sample.SopInstanceUid));
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "s3cret")]
    [InlineData(null, null)]
    public async Task Storescu_with_a_wrong_or_missing_identity_is_rejected_by_the_acse_provider(string? user, string? password)
    {
        await using var scp = new TestScp(o => o with { Authorizer = new UsernamePasscodeAuthorizer(new Dictionary<string, string> { ["alice"] = "s3cret" }) });
        var sample = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
        List<string> args = ["-aec", "RBSCP"];
        if (user is not null) args.AddRange(["--user", user, "--password", password!]);
        args.AddRange(["127.0.0.1", Port(scp.Port), sample.Path]);
        var result = await Dcmtk.RunAsync("storescu", args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Association Rejected", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Service Provider (ACSE", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(scp.Handler.Stored);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Accepted_identity_gets_an_empty_server_response_item_only_when_a_positive_response_was_requested(bool positive)
    {
        await using var scp = new TestScp(o => o with { Authorizer = new UsernamePasscodeAuthorizer(new Dictionary<string, string> { ["alice"] = "s3cret" }) });
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "RBSCP",
            CallingAeTitle = "RAWSCU",
            PresentationContexts = [new PresentationContextRequest(1, Verification.SopClassUid, [ImplicitLittle])],
            UserInformation = new UserInformation
            {
                MaximumLength = 16384,
                ImplementationClassUid = "1.2.3.4",
                UserIdentityRequest = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, positive, "alice"u8.ToArray(), "s3cret"u8.ToArray()),
            },
        };
        var answer = Assert.IsType<AssociateAcceptPdu>(await ExchangeAsync(scp.Port, request));
        if (positive) Assert.Equal(0, Assert.NotNull(answer.UserInformation.UserIdentityServerResponse).Length);
        else Assert.Null(answer.UserInformation.UserIdentityServerResponse);

        var wrong = request with { UserInformation = request.UserInformation with { UserIdentityRequest = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, positive, "alice"u8.ToArray(), "nope"u8.ToArray()) } };
        var reject = Assert.IsType<AssociateRejectPdu>(await ExchangeAsync(scp.Port, wrong));
        Assert.Equal(new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReasons.AcseNoReasonGiven), reject);
    }

    [Fact]
    public async Task Username_only_identity_does_not_satisfy_a_passcode_requirement()
    {
        var authorizer = new UsernamePasscodeAuthorizer(new Dictionary<string, string> { ["alice"] = "s3cret" });
        var usernameOnly = new UserIdentityRequest(UserIdentityType.Username, true, "alice"u8.ToArray(), ReadOnlyMemory<byte>.Empty);
        var jwt = new UserIdentityRequest(UserIdentityType.JsonWebToken, true, "eyJ"u8.ToArray(), ReadOnlyMemory<byte>.Empty);
        var good = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, false, "alice"u8.ToArray(), "s3cret"u8.ToArray());
        Assert.False((await authorizer.AuthorizeAsync(new AssociationRequestInfo("A", "B", null, usernameOnly), default)).IsAccepted);
        Assert.False((await authorizer.AuthorizeAsync(new AssociationRequestInfo("A", "B", null, jwt), default)).IsAccepted);
        Assert.True((await authorizer.AuthorizeAsync(new AssociationRequestInfo("A", "B", null, good), default)).IsAccepted);
    }

    [Fact]
    public async Task Cli_scp_require_user_admits_the_account_and_refuses_others()
    {
        var port = Dcmtk.FreePort();
        var output = Directory.CreateTempSubdirectory("rb-scp-user-").FullName;
        try
        {
            await using var scp = await RadbridgeProcess.Scp.StartAsync(["scp", "--port", Port(port), "--aet", "USERSCP", "--out", output, "--require-user", "bob:pa:ss"]);
            var sample = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
            var refused = await Dcmtk.RunAsync("storescu", ["-aec", "USERSCP", "--user", "bob", "--password", "pa", "127.0.0.1", Port(port), sample.Path]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Empty(Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories));
            var admitted = await Dcmtk.RunAsync("storescu", ["-aec", "USERSCP", "--user", "bob", "--password", "pa:ss", "127.0.0.1", Port(port), sample.Path]);
            Assert.True(admitted.ExitCode == 0, admitted + scp.Log);
            Assert.Single(Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Sends one PDU on a fresh connection and decodes the first PDU answered; then aborts.</summary>
    private static async Task<DicomPdu> ExchangeAsync(int port, DicomPdu pdu)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await socket.SendAsync(PduEncoder.Encode(pdu), SocketFlags.None, timeout.Token);
        var header = new byte[6];
        await ReceiveExactlyAsync(socket, header, timeout.Token);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await ReceiveExactlyAsync(socket, body, timeout.Token);
        await socket.SendAsync(PduEncoder.Encode(new AbortPdu(AbortSource.ServiceUser, default)), SocketFlags.None, timeout.Token);
        return PduDecoder.Decode(header[0], body);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            if (n == 0) throw new IOException("connection closed early");
            read += n;
        }
    }
}
