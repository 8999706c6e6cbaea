using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;

namespace RadBridge.ArchiveScale;

/// <summary>One index table as the bulk loaders write it: its name and columns taken from the EF model (so a renamed
/// column fails loudly instead of loading a stale schema), and how a row becomes column values.</summary>
internal sealed class TableSpec<TRow>
{
    public TableSpec(ArchiveDbContext db, Type entity, string[] properties, Func<TRow, object?[]> values)
    {
        var type = db.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not in the archive's model");
        Table = type.GetTableName()!;
        var store = StoreObjectIdentifier.Table(Table, type.GetSchema());
        Columns = [.. properties.Select(p => (type.FindProperty(p) ?? throw new InvalidOperationException($"{entity.Name}.{p} is not in the archive's model")).GetColumnName(store)!)];
        // A NOT NULL column this loader does not fill would make every insert fail: name it up front.
        var missing = type.GetProperties()
            .Where(p => !p.IsNullable && !properties.Contains(p.Name) && p.ValueGenerated == ValueGenerated.Never)
            .Select(p => p.Name).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"{Table}: the scale loader does not fill required column(s) {string.Join(", ", missing)}; update IndexTables.cs");
        Values = values;
    }

    public string Table { get; }
    public IReadOnlyList<string> Columns { get; }
    public Func<TRow, object?[]> Values { get; }
}

/// <summary>The five tables the synthetic index fills.</summary>
internal sealed class IndexTables(ArchiveDbContext db, DateTime loadedAt)
{
    public TableSpec<PatientRow> Patients { get; } = new(db, typeof(PatientRecord),
        ["Id", "OrganizationId", "PatientId", "PatientName", "PatientNameFolded", "BirthDate", "Sex", "NumberOfStudies"],
        p => [p.Id, p.OrganizationId, p.PatientId, p.PatientName, p.PatientNameFolded, p.BirthDate, p.Sex, p.NumberOfStudies]);

    public TableSpec<StudyRow> Studies { get; } = new(db, typeof(StudyRecord),
        ["Id", "PatientRecordId", "OrganizationId", "StudyInstanceUid", "StudyDate", "StudyTime", "AccessionNumber", "StudyId",
         "StudyDescription", "ReferringPhysicianName", "ReferringPhysicianNameFolded", "ModalitiesInStudy", "SopClassesInStudy",
         "NumberOfSeries", "NumberOfInstances", "PatientId", "PatientName", "PatientNameFolded", "PatientBirthDate", "PatientSex",
         "SpecificCharacterSet", "CreatedAt", "UpdatedAt"],
        s => [s.Id, s.Patient.Id, s.OrganizationId, s.StudyInstanceUid, s.StudyDate, s.StudyTime, s.AccessionNumber, s.StudyId,
              s.StudyDescription, s.ReferringPhysicianName, s.ReferringPhysicianNameFolded, s.ModalitiesInStudy, s.SopClassesInStudy,
              s.NumberOfSeries, s.NumberOfInstances, s.Patient.PatientId, s.Patient.PatientName, s.Patient.PatientNameFolded,
              s.Patient.BirthDate, s.Patient.Sex, "ISO_IR 192", loadedAt, loadedAt]);

    public TableSpec<SeriesRow> Series { get; } = new(db, typeof(SeriesRecord),
        ["Id", "StudyId", "SeriesInstanceUid", "Modality", "SeriesNumber", "SeriesDescription", "BodyPartExamined", "SeriesDate",
         "SeriesTime", "NumberOfInstances", "UpdatedAt"],
        s => [s.Id, s.StudyId, s.SeriesInstanceUid, s.Modality, s.SeriesNumber, s.SeriesDescription, s.BodyPartExamined, s.SeriesDate,
              s.SeriesTime, s.NumberOfInstances, loadedAt]);

    public TableSpec<InstanceRow> Instances { get; } = new(db, typeof(InstanceRecord),
        ["Id", "SeriesId", "StudyId", "SopInstanceUid", "SopClassUid", "InstanceNumber", "TransferSyntaxUid", "Rows", "Columns",
         "BitsAllocated", "StoragePath", "FileSize", "DataSetSha256", "ReceivedAt"],
        i => [i.Id, i.SeriesId, i.StudyId, i.SopInstanceUid, i.SopClassUid, i.InstanceNumber, i.TransferSyntaxUid, i.Rows, i.Columns,
              i.BitsAllocated, i.StoragePath, i.FileSize, i.DataSetSha256, loadedAt]);

    public TableSpec<ShareRow> Shares { get; } = new(db, typeof(StudyShare),
        ["StudyId", "OrganizationId", "SharedAt", "SharedBy"],
        s => [s.StudyId, s.OrganizationId, loadedAt, "scale-generator"]);
}
