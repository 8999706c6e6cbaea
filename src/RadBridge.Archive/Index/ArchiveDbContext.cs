using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Tenancy;
using RadBridge.Workflow.Notifications;
using RadBridge.Workflow.Persistence;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Routing;

namespace RadBridge.Archive.Index;

/// <summary>
/// The archive's index and accounts in one database (SQLite by default, PostgreSQL with <c>--db</c>): organisations,
/// AEs, users (ASP.NET Identity), OpenIddict's tables, the patient/study/series/instance index, and the workflow's
/// read requests (mapped by RadBridge.Workflow's <see cref="WorkflowModel"/>).
/// </summary>
public sealed class ArchiveDbContext(DbContextOptions<ArchiveDbContext> options) : IdentityUserContext<ArchiveUser>(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<RegisteredAe> RegisteredAes => Set<RegisteredAe>();
    public DbSet<StudyShare> StudyShares => Set<StudyShare>();
    public DbSet<PatientRecord> Patients => Set<PatientRecord>();
    public DbSet<StudyRecord> Studies => Set<StudyRecord>();
    public DbSet<SeriesRecord> Series => Set<SeriesRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<SeriesMetadataCache> SeriesMetadata => Set<SeriesMetadataCache>();
    public DbSet<ReadRequest> ReadRequests => Set<ReadRequest>();
    public DbSet<ReportVersion> ReportVersions => Set<ReportVersion>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<ReaderAvailability> ReaderAvailability => Set<ReaderAvailability>();
    public DbSet<WorkflowNotification> WorkflowNotifications => Set<WorkflowNotification>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<ArchiveUser>(u =>
        {
            u.Property(x => x.Role).HasMaxLength(32);
            u.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Organization>(o =>
        {
            o.Property(x => x.Name).HasMaxLength(128);
            o.HasIndex(x => x.Name).IsUnique();
        });

        builder.Entity<RegisteredAe>(a =>
        {
            a.Property(x => x.AeTitle).HasMaxLength(16);
            a.HasIndex(x => x.AeTitle).IsUnique();
            a.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<StudyShare>(s =>
        {
            s.HasKey(x => new { x.StudyId, x.OrganizationId });
            // Every visibility check asks "is this study shared with my organisation"; the reverse index lists them.
            s.HasIndex(x => new { x.OrganizationId, x.StudyId });
            s.HasOne<StudyRecord>().WithMany().HasForeignKey(x => x.StudyId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PatientRecord>(p =>
        {
            p.ToTable("Patients");
            p.HasIndex(x => new { x.OrganizationId, x.PatientId }).IsUnique();
            p.HasIndex(x => new { x.OrganizationId, x.PatientNameFolded });
        });

        builder.Entity<StudyRecord>(s =>
        {
            s.ToTable("Studies");
            s.HasIndex(x => x.StudyInstanceUid).IsUnique();
            // The worklist's queries. The tenant filter is "owned by my organisation OR shared with it" (AccessScope), an
            // OR that no index led by OrganizationId can answer: measured at 1M instances (bench/archive-scale.sh) such
            // indexes were never used and every study query scanned and sorted the whole table. So the indexes lead with
            // what is matched — the tenant check then filters the few rows found — and the newest-first order has its
            // own index, which lets a page (LIMIT) of an unselective search stop early instead of sorting every study.
            s.HasIndex(x => new { x.StudyDate, x.StudyTime, x.Id });
            s.HasIndex(x => x.PatientId);
            // PostgreSQL answers LIKE 'ZHANG%' from a btree only with pattern operators unless the database collation is
            // "C" (ours is initdb'd C.UTF-8, as most are): without them the name prefix search walked the date index
            // (37 ms at 1M instances; 1.4 ms with them). SQLite ignores the annotation (case_sensitive_like does its part).
            s.HasIndex(x => x.PatientNameFolded).HasOperators("text_pattern_ops");
            s.HasIndex(x => x.AccessionNumber);
            s.HasIndex(x => x.OrganizationId);
            s.HasIndex(x => x.PatientRecordId);
            s.HasOne(x => x.Patient).WithMany().HasForeignKey(x => x.PatientRecordId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SeriesRecord>(s =>
        {
            s.ToTable("Series");
            s.HasIndex(x => x.SeriesInstanceUid).IsUnique();
            s.HasIndex(x => new { x.StudyId, x.SeriesNumber });
            // ModalitiesInStudy matching probes "has this study a series of modality M" per candidate study: covering.
            s.HasIndex(x => new { x.StudyId, x.Modality });
            s.HasOne(x => x.Study).WithMany().HasForeignKey(x => x.StudyId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<InstanceRecord>(i =>
        {
            i.ToTable("Instances");
            i.HasIndex(x => x.SopInstanceUid).IsUnique();
            i.HasIndex(x => new { x.SeriesId, x.InstanceNumber });
            i.HasIndex(x => x.StudyId);
            i.Property(x => x.StoragePath).HasMaxLength(512);
            i.HasOne(x => x.Series).WithMany().HasForeignKey(x => x.SeriesId).OnDelete(DeleteBehavior.Cascade);
            // Restrict, not cascade: two cascade paths to one table are refused by some providers; series deletion cascades.
            i.HasOne(x => x.Study).WithMany().HasForeignKey(x => x.StudyId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SeriesMetadataCache>(m =>
        {
            m.HasKey(x => x.SeriesId);
            m.HasOne<SeriesRecord>().WithOne().HasForeignKey<SeriesMetadataCache>(x => x.SeriesId).OnDelete(DeleteBehavior.Cascade);
        });

        WorkflowModel.Configure(builder, timesAsTicks: Database.IsSqlite());
        // A request belongs to its study: deleting the study (admin only, audited) takes its requests and reports along;
        // the signed reports live on as DICOM objects only as long as the study does anyway.
        builder.Entity<ReadRequest>().HasOne<StudyRecord>().WithMany().HasForeignKey(x => x.StudyId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<ReadRequest>().HasOne<Organization>().WithMany().HasForeignKey(x => x.ClinicOrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<ReadRequest>().HasOne<Organization>().WithMany().HasForeignKey(x => x.CentreOrganizationId).OnDelete(DeleteBehavior.Restrict);

        builder.UseOpenIddict();
    }
}
