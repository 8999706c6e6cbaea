namespace RadBridge.Server.Tests.Dimse;

/// <summary>The conditions a registered AE may carry, enforced per association against DCMTK's SCUs: host and user identity.</summary>
public sealed class ArchiveScpAccessTests
{
    [Fact]
    public async Task An_ae_registered_with_a_host_is_accepted_only_from_that_host()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Clinic A");
        await server.RegisterAeAsync(org, "BY_ADDRESS", host: "127.0.0.1");
        await server.RegisterAeAsync(org, "BY_NAME", host: "localhost");
        await server.RegisterAeAsync(org, "ELSEWHERE", host: "192.0.2.7"); // TEST-NET-1: never this machine

        Assert.Equal(0, (await server.EchoAsync("BY_ADDRESS")).ExitCode);
        Assert.Equal(0, (await server.EchoAsync("BY_NAME")).ExitCode);
        var refused = await server.EchoAsync("ELSEWHERE");
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("Association Rejected", refused.Output, StringComparison.Ordinal);
        await ArchiveScpTests.WaitForOutputAsync(server, "refused: connection from 127.0.0.1, not from the registered host 192.0.2.7");
    }

    [Fact]
    public async Task An_ae_requiring_a_user_needs_that_users_password_and_the_user_must_be_of_the_aes_organisation()
    {
        await using var server = await ServerProcess.StartAsync();
        var orgA = await server.AddOrganizationAsync("Clinic A");
        var orgB = await server.AddOrganizationAsync("Clinic B");
        await server.AddUserAsync(orgA, "technologist", "tech.a", "correct-horse-1");
        await server.AddUserAsync(orgB, "technologist", "tech.b", "correct-horse-2");
        await server.RegisterAeAsync(orgA, "MODALITY_A", requiredUser: "tech.a");
        await server.RegisterAeAsync(orgA, "MODALITY_X", requiredUser: "tech.b"); // misregistered: a user of another organisation
        var sample = TestPaths.Sample("CT_small.dcm");

        var anonymous = await server.StoreAsync("MODALITY_A", [sample]);
        Assert.True(anonymous.ExitCode != 0, anonymous.ToString());
        var wrongPassword = await server.StoreAsync("MODALITY_A", [sample], "--user", "tech.a", "--password", "wrong-password");
        Assert.True(wrongPassword.ExitCode != 0, wrongPassword.ToString());
        var otherUser = await server.StoreAsync("MODALITY_A", [sample], "--user", "tech.b", "--password", "correct-horse-2");
        Assert.True(otherUser.ExitCode != 0, otherUser.ToString());
        var foreignUser = await server.StoreAsync("MODALITY_X", [sample], "--user", "tech.b", "--password", "correct-horse-2");
        Assert.True(foreignUser.ExitCode != 0, foreignUser.ToString());
        Assert.Null(await server.FindStoredAsync(Dicom.Network.Services.StoreSource.Open(sample).SopInstanceUid));

        var ok = await server.StoreAsync("MODALITY_A", [sample], "--user", "tech.a", "--password", "correct-horse-1");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(orgA, (await server.FindStoredAsync(Dicom.Network.Services.StoreSource.Open(sample).SopInstanceUid))!.Value.OrganizationId);
        await ArchiveScpTests.WaitForOutputAsync(server, "refused: the AE requires a user identity (username and passcode)");
        await ArchiveScpTests.WaitForOutputAsync(server, "refused: unknown user or wrong password");
        await ArchiveScpTests.WaitForOutputAsync(server, "refused: user 'tech.b' is not the one registered for the AE");
        await ArchiveScpTests.WaitForOutputAsync(server, "refused: user 'tech.b' is not of the AE's organisation");
    }
}
