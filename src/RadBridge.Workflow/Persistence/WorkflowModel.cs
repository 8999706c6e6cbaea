using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RadBridge.Workflow.Notifications;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Routing;

namespace RadBridge.Workflow.Persistence;

/// <summary>
/// The workflow's tables, mapped into the archive's DbContext (one database, one transaction with the study shares).
/// Called from ArchiveDbContext.OnModelCreating.
/// </summary>
public static class WorkflowModel
{
    /// <summary>Maps the workflow entities.</summary>
    /// <param name="builder">The archive's model builder.</param>
    /// <param name="timesAsTicks">
    /// Store times as UTC ticks (a 64-bit integer): SQLite's EF provider cannot compare or order DateTimeOffset columns,
    /// and the worklist sorts and filters by due time. PostgreSQL keeps its native timestamptz.
    /// </param>
    public static void Configure(ModelBuilder builder, bool timesAsTicks)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Entity<ReadRequest>(r =>
        {
            r.ToTable("ReadRequests");
            r.HasKey(x => x.Id);
            r.Property(x => x.Id).HasMaxLength(32);
            r.Property(x => x.StudyInstanceUid).HasMaxLength(64);
            r.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            r.Property(x => x.Priority).HasConversion<string>().HasMaxLength(16);
            r.Property(x => x.ClinicalQuestion).HasMaxLength(ReadRequest.MaxTextLength);
            r.Property(x => x.Indication).HasMaxLength(ReadRequest.MaxTextLength);
            r.Property(x => x.BodyPart).HasMaxLength(64);
            r.Property(x => x.Modality).HasMaxLength(16);
            r.Property(x => x.Subspecialty).HasMaxLength(64);
            r.Property(x => x.PriorStudyInstanceUids).HasMaxLength(1400);
            r.Property(x => x.Assignee).HasMaxLength(256);
            r.Property(x => x.CreatedBy).HasMaxLength(256);
            r.Property(x => x.SignedBy).HasMaxLength(256);
            r.Property(x => x.CriticalAcknowledgedBy).HasMaxLength(256);
            r.Property(x => x.ReturnedReason).HasMaxLength(ReadRequest.MaxReasonLength);
            r.Property(x => x.CancelReason).HasMaxLength(ReadRequest.MaxReasonLength);
            r.Property(x => x.Revision).IsConcurrencyToken();
            r.Ignore(x => x.PriorStudies);
            r.Ignore(x => x.IsOpen);
            // The reader worklist: a centre's requests in some states, soonest due first.
            r.HasIndex(x => new { x.CentreOrganizationId, x.Status, x.DueAt });
            // The clinic portal: a clinic's requests, newest first.
            r.HasIndex(x => new { x.ClinicOrganizationId, x.CreatedAt });
            // "Mine" and the router's load count.
            r.HasIndex(x => new { x.Assignee, x.Status });
            r.HasIndex(x => x.StudyId);
            // The background monitors' scans: open requests by deadline, signed ones with a critical finding.
            r.HasIndex(x => new { x.Status, x.DueAt });
            r.HasIndex(x => new { x.CriticalFlagged, x.CriticalAcknowledgedAt });
        });

        builder.Entity<ReportVersion>(v =>
        {
            v.ToTable("ReportVersions");
            v.HasKey(x => x.Id);
            v.HasIndex(x => new { x.ReadRequestId, x.Version }).IsUnique();
            v.Property(x => x.ReadRequestId).HasMaxLength(32);
            v.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            v.Property(x => x.Language).HasMaxLength(16);
            v.Property(x => x.TemplateId).HasMaxLength(128);
            v.Property(x => x.Author).HasMaxLength(256);
            v.Property(x => x.SignedBy).HasMaxLength(256);
            v.Property(x => x.AmendmentReason).HasMaxLength(ReadRequest.MaxReasonLength);
            v.Ignore(x => x.StructuredFields);
            v.Property(x => x.SrSeriesInstanceUid).HasMaxLength(64);
            v.Property(x => x.SrSopInstanceUid).HasMaxLength(64);
            v.Property(x => x.SrSopClassUid).HasMaxLength(64);
            v.Property(x => x.PdfSeriesInstanceUid).HasMaxLength(64);
            v.Property(x => x.PdfSopInstanceUid).HasMaxLength(64);
            v.HasOne<ReadRequest>().WithMany().HasForeignKey(x => x.ReadRequestId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<RoutingRule>(r =>
        {
            r.ToTable("RoutingRules");
            r.Property(x => x.Modality).HasMaxLength(16);
            r.Property(x => x.BodyPart).HasMaxLength(64);
            r.Property(x => x.Subspecialty).HasMaxLength(64);
            r.Property(x => x.Readers).HasMaxLength(4000);
            r.Ignore(x => x.ReaderNames);
            r.HasIndex(x => new { x.CentreOrganizationId, x.Order });
        });

        builder.Entity<ReaderAvailability>(a =>
        {
            a.ToTable("ReaderAvailability");
            a.HasKey(x => x.UserName);
            a.Property(x => x.UserName).HasMaxLength(256);
            a.Property(x => x.Subspecialties).HasMaxLength(1000);
            a.HasIndex(x => new { x.CentreOrganizationId, x.OnDuty });
        });

        builder.Entity<WorkflowNotification>(n =>
        {
            n.ToTable("WorkflowNotifications");
            n.Property(x => x.ReadRequestId).HasMaxLength(32);
            n.Property(x => x.RecipientRole).HasMaxLength(32);
            n.Property(x => x.Kind).HasMaxLength(32);
            n.Property(x => x.Message).HasMaxLength(2000);
            n.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
            n.HasIndex(x => x.ReadRequestId);
            n.HasOne<ReadRequest>().WithMany().HasForeignKey(x => x.ReadRequestId).OnDelete(DeleteBehavior.Cascade);
        });

        if (timesAsTicks)
        {
            foreach (var type in new[] { typeof(ReadRequest), typeof(ReportVersion), typeof(ReaderAvailability), typeof(WorkflowNotification) })
            {
                foreach (var property in builder.Entity(type).Metadata.GetProperties())
                {
                    if (property.ClrType == typeof(DateTimeOffset)) property.SetValueConverter(UtcTicks);
                    else if (property.ClrType == typeof(DateTimeOffset?)) property.SetValueConverter(NullableUtcTicks);
                }
            }
        }
    }

    private static readonly ValueConverter<DateTimeOffset, long> UtcTicks =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    private static readonly ValueConverter<DateTimeOffset?, long?> NullableUtcTicks =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}
