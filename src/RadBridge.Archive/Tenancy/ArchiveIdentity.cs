using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RadBridge.Archive.Index;

namespace RadBridge.Archive.Tenancy;

/// <summary>
/// The one definition of how accounts are kept (password policy, lockout, user-name rules), shared by the server's
/// Identity services and the admin CLI, so a user created by either is one the other accepts.
/// </summary>
public static class ArchiveIdentity
{
    public const int MinimumPasswordLength = 10;
    public const int MaxFailedAccessAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    // UserManager looks up optional services (token providers, metrics); the archive registers none of them.
    private static readonly ServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    /// <summary>
    /// Length is the policy (NIST SP 800-63B): composition rules (a digit, an upper-case letter…) push people to
    /// predictable passwords and are off.
    /// </summary>
    public static void Configure(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Password.RequiredLength = MinimumPasswordLength;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 1;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAccessAttempts;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        options.Lockout.AllowedForNewUsers = true;
        options.User.RequireUniqueEmail = false;
    }

    /// <summary>
    /// A UserManager over <paramref name="db"/> configured as the server's is (same hasher, normaliser, validators),
    /// for code that runs outside the server's container (the admin CLI, the demo seeding).
    /// </summary>
    public static UserManager<ArchiveUser> CreateUserManager(ArchiveDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var options = new IdentityOptions();
        Configure(options);
        return new UserManager<ArchiveUser>(
            new UserOnlyStore<ArchiveUser, ArchiveDbContext>(db),
            Microsoft.Extensions.Options.Options.Create(options),
            new PasswordHasher<ArchiveUser>(),
            [new UserValidator<ArchiveUser>()],
            [new PasswordValidator<ArchiveUser>()],
            new UpperInvariantLookupNormalizer(),
            new IdentityErrorDescriber(),
            NoServices,
            NullLogger<UserManager<ArchiveUser>>.Instance);
    }
}
