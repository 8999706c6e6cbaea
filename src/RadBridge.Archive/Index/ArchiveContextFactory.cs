using Microsoft.EntityFrameworkCore;

namespace RadBridge.Archive.Index;

/// <summary>Contexts on an <see cref="ArchiveLocation"/>'s database, for code outside the server's container (CLI, tests).</summary>
public sealed class ArchiveContextFactory(ArchiveLocation location) : IDbContextFactory<ArchiveDbContext>
{
    public ArchiveDbContext CreateDbContext() => ArchiveDatabase.Open(location);
}
