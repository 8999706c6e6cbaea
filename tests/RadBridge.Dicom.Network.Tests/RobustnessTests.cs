using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Pdu;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

public sealed class RobustnessTests
{
    [Fact]
    public async Task Abort_mid_transfer_leaves_no_partial_file()
    {
        await using var scp = new TestScp();
        var sample = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions { CalledAeTitle = "RBSCP" }, StorageScu.Propose([sample]));
        var context = association.FindContext(sample.SopClassUid, sample.TransferSyntax)!;
        var command = DimseCommand.Request(DimseCommandField.CStoreRequest, 1, sample.SopClassUid, hasDataSet: true);
        command.AffectedSopInstanceUid = sample.SopInstanceUid;
        await association.SendPdvAsync(context.Id, true, true, command.Encode(), CancellationToken.None);
        var bytes = File.ReadAllBytes(sample.Path).AsMemory((int)sample.DataSetOffset, 8000);
        await association.SendPdvAsync(context.Id, false, false, bytes, CancellationToken.None);
        await Task.Delay(200);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(scp.Directory, ".incoming"))); // it was being written
        await association.AbortAsync();

        for (var i = 0; i < 50 && Directory.GetFiles(Path.Combine(scp.Directory, ".incoming")).Length > 0; i++) await Task.Delay(50);
        Assert.Empty(Directory.GetFiles(Path.Combine(scp.Directory, ".incoming")));
        Assert.Empty(Directory.GetFiles(scp.Directory, "*.dcm", SearchOption.AllDirectories));
        Assert.Empty(scp.Handler.Stored);
    }

    [Fact]
    public async Task Malformed_first_pdus_are_answered_with_the_abort_of_table_9_10()
    {
        await using var scp = new TestScp();
        // Unknown PDU type in Sta2: Evt19 → AA-1, an A-ABORT.
        var answer = await BlastAsync(scp.Port, [0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
        Assert.Equal((byte)PduType.Abort, answer[0]);
        // A-ASSOCIATE-RQ whose length field is far beyond the limit: refused on the header alone, no allocation.
        answer = await BlastAsync(scp.Port, [0x01, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0, 1]);
        Assert.Equal((byte)PduType.Abort, answer[0]);
        // A valid request then a P-DATA with a PDV claiming more than its PDU: accepted, then Evt19 → AA-8 with the reason.
        var rq = PduEncoder.Encode(new AssociateRequestPdu
        {
            CalledAeTitle = "RBSCP", CallingAeTitle = "X",
            PresentationContexts = [new PresentationContextRequest(1, Verification.SopClassUid, ["1.2.840.10008.1.2"])],
            UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3" },
        });
        answer = await BlastAsync(scp.Port, [.. rq, 4, 0, 0, 0, 0, 7, 0, 0, 0, 0x40, 1, 3, 0]);
        var ac = PduDecoder.Decode(answer.AsMemory(0, 6 + (int)BinaryPrimitives.ReadUInt32BigEndian(answer.AsSpan(2))));
        Assert.IsType<AssociateAcceptPdu>(ac);
        var abort = answer.AsSpan(answer.Length - 10);
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 4, 0, 0, (byte)AbortSource.ServiceProvider, (byte)AbortReason.InvalidPduParameterValue }, abort.ToArray());
    }

    [Fact]
    public async Task Ten_thousand_malformed_streams_are_aborted_while_storescu_keeps_being_served()
    {
        await using var scp = new TestScp(o => o with { MaxAssociations = 256 });
        var seeds = Seeds();
        var random = new Random(20261123);
        var streams = new List<byte[]>();
        for (var i = 0; i < 10_000; i++) streams.Add(Mutate(seeds[i % seeds.Count], random));

        var sample = TestPaths.Sample("CT_small.dcm");
        var storing = Task.Run(async () =>
        {
            var results = new List<Dcmtk.Result>();
            for (var i = 0; i < 3; i++)
                results.Add(await Dcmtk.RunAsync("storescu", ["-aec", "RBSCP", "-aet", $"GOOD{i}", "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), sample]));
            return results;
        });
        var answered = 0;
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (bytes, _) =>
        {
            var reply = await BlastAsync(scp.Port, bytes);
            if (reply.Length > 0) Interlocked.Increment(ref answered);
        });
        foreach (var r in await storing) Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(scp.Handler.ByCaller.ContainsKey("GOOD2"));
        // Most streams get an answer (A-ABORT, A-ASSOCIATE-RJ/AC then A-ABORT); the rest were cut before a whole header.
        Assert.True(answered > streams.Count / 2, $"{answered} of {streams.Count} answered");
        var echo = await Dcmtk.RunAsync("echoscu", ["-aec", "RBSCP", "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(echo.ExitCode == 0, echo.ToString());
        for (var i = 0; i < 100 && scp.Server.ActiveAssociations > 0; i++) await Task.Delay(50);
        Assert.Equal(0, scp.Server.ActiveAssociations);
        Assert.Empty(Directory.GetFiles(Path.Combine(scp.Directory, ".incoming")));
    }

    private static List<byte[]> Seeds()
    {
        var rq = PduCodecTests.FullRequest() with { CalledAeTitle = "RBSCP" };
        var rqBytes = PduEncoder.Encode(rq);
        var data = PduEncoder.Encode(new DataTransferPdu([new PresentationDataValue(1, true, true, new DimseCommand { CommandField = DimseCommandField.CEchoRequest, MessageId = 1, AffectedSopClassUid = Verification.SopClassUid, HasDataSet = false }.Encode())]));
        return
        [
            rqBytes,
            [.. rqBytes, .. data],
            [.. rqBytes, .. data, .. PduEncoder.Encode(new ReleaseRequestPdu())],
            PduEncoder.Encode(new ReleaseRequestPdu()),
            PduEncoder.Encode(new AbortPdu(AbortSource.ServiceUser, 0)),
            data,
            PduEncoder.Encode(new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, 1)),
        ];
    }

    // Truncations, flipped bytes, random length fields, unknown types, appended garbage.
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(5))
        {
            case 0:
                return bytes.AsSpan(0, random.Next(1, bytes.Length)).ToArray();
            case 1:
                for (var i = random.Next(1, 4); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), (uint)random.Next());
                return bytes;
            case 3:
                bytes[0] = (byte)random.Next(8, 256);
                return bytes;
            default:
                var garbage = new byte[random.Next(1, 64)];
                random.NextBytes(garbage);
                return [.. bytes, .. garbage];
        }
    }

    /// <summary>Sends raw bytes, ends our side, and returns whatever the server answers before it closes.</summary>
    private static async Task<byte[]> BlastAsync(int port, byte[] bytes)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        try
        {
            await socket.SendAsync(bytes);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server may abort and close before reading everything.
        }
        using var reply = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) reply.Write(buffer, 0, n);
        }
        catch (SocketException)
        {
        }
        return reply.ToArray();
    }
}
