using OtpNet;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;

namespace RadBridge.Server.Tests;

/// <summary><see cref="TotpSecondFactor"/> on a real account store, with a fixed clock.</summary>
public sealed class TotpSecondFactorTests
{
    [Fact]
    public async Task A_code_is_accepted_once_within_one_step_of_drift()
    {
        var location = new ArchiveLocation(Path.Combine(Path.GetTempPath(), "rb-totp-" + Guid.NewGuid().ToString("N")), null);
        await ArchiveDatabase.EnsureSchemaAsync(location);
        try
        {
            var clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 12, 0, 10, TimeSpan.Zero));
            string secret;
            await using (var db = ArchiveDatabase.Open(location))
            {
                var users = ArchiveIdentity.CreateUserManager(db);
                var org = new Organization { Name = "C", CreatedAt = DateTimeOffset.UtcNow };
                db.Organizations.Add(org);
                await db.SaveChangesAsync();
                var user = new ArchiveUser { UserName = "u1", OrganizationId = org.Id, Role = ArchiveRoles.Radiologist };
                Assert.True((await users.CreateAsync(user, "long enough password")).Succeeded);
                var totp = new TotpSecondFactor(users, clock);
                var abandoned = (await totp.BeginEnrolmentAsync(user)).Secret;
                // Enrolling again before confirming replaces the key.
                secret = (await totp.BeginEnrolmentAsync(user)).Secret;
                Assert.NotEqual(abandoned, secret);
                Assert.False(await totp.ConfirmAsync(user, new Totp(Base32Encoding.ToBytes(abandoned)).ComputeTotp(clock.GetUtcNow().UtcDateTime)));
                var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(clock.GetUtcNow().UtcDateTime);
                Assert.True(await totp.ConfirmAsync(user, code));
                Assert.False(await totp.VerifyAsync(user, code));
            }
            await using (var db = ArchiveDatabase.Open(location))
            {
                var users = ArchiveIdentity.CreateUserManager(db);
                var user = (await users.FindByNameAsync("u1"))!;
                Assert.True(user.TwoFactorEnabled);
                var totp = new TotpSecondFactor(users, clock);
                var generator = new Totp(Base32Encoding.ToBytes(secret));
                Assert.False(await totp.VerifyAsync(user, generator.ComputeTotp(clock.GetUtcNow().UtcDateTime)));
                var next = generator.ComputeTotp(clock.GetUtcNow().UtcDateTime.AddSeconds(30));
                Assert.True(await totp.VerifyAsync(user, next));
                Assert.False(await totp.VerifyAsync(user, next));
                // Once the next step's code is used, the current step's (still inside the drift window) is too old.
                Assert.False(await totp.VerifyAsync(user, generator.ComputeTotp(clock.GetUtcNow().UtcDateTime.AddSeconds(-30))));
                Assert.False(await totp.VerifyAsync(user, generator.ComputeTotp(clock.GetUtcNow().UtcDateTime.AddSeconds(60))));
                Assert.False(await totp.VerifyAsync(user, "12345"));
                Assert.False(await totp.VerifyAsync(user, null));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(location.DataDirectory, recursive: true);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
