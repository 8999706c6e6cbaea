-- SQLite: study: PatientName=prefix*
.param set @organizationId 2
.param set @Value 'XU%'
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."PatientNameFolded" LIKE @Value ESCAPE '\'
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: PatientName=*substring*
.param set @organizationId 2
.param set @Value '%冯%'
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."PatientNameFolded" LIKE @Value ESCAPE '\'
ORDER BY COALESCE("s"."StudyDate", '') DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: StudyDate=one month
.param set @organizationId 2
.param set @Value '20220201'
.param set @Value4 '20220231'
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."StudyDate" >= @Value AND "s"."StudyDate" <= @Value4
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: ModalitiesInStudy
.param set @organizationId 2
.param set @Value 'US'
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND EXISTS (
    SELECT 1
    FROM "Series" AS "s1"
    WHERE "s1"."Modality" = @Value AND "s1"."StudyId" = "s"."Id")
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: ModalitiesInStudy + one year
.param set @organizationId 2
.param set @Value 'CT'
.param set @Value4 '20220101'
.param set @Value5 '20221231'
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND EXISTS (
    SELECT 1
    FROM "Series" AS "s1"
    WHERE "s1"."Modality" = @Value AND "s1"."StudyId" = "s"."Id") AND "s"."StudyDate" >= @Value4 AND "s"."StudyDate" <= @Value5
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: AccessionNumber
.param set @organizationId 2
.param set @Value 'A00013313'

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."AccessionNumber" = @Value
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC

-- SQLite: study: PatientID
.param set @organizationId 2
.param set @Value 'P0005101'

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."PatientId" = @Value
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC

-- SQLite: study: StudyInstanceUID
.param set @organizationId 2
.param set @Value '1.2.826.0.1.3680043.10.1187.1.13313'

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."StudyInstanceUid" = @Value
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC

-- SQLite: study: worklist page (newest 100)
.param set @organizationId 2
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE "s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: centre reader, shared + own, newest 100
.param set @organizationId 1
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE "s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: study: centre reader, PatientName=prefix*
.param set @organizationId 1
.param set @Value 'XU%'
.param set @p 101

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS "s"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."PatientNameFolded" LIKE @Value ESCAPE '\'
ORDER BY "s"."StudyDate" DESC, "s"."StudyTime" DESC, "s"."Id" DESC
LIMIT @p

-- SQLite: series of a study
.param set @organizationId 2
.param set @Value '1.2.826.0.1.3680043.10.1187.1.13313'

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances", "s1"."Id" AS "SeriesKey", "s1"."SeriesInstanceUid", "s1"."Modality", "s1"."SeriesNumber", "s1"."SeriesDescription", "s1"."BodyPartExamined", "s1"."SeriesDate", "s1"."SeriesTime", "s1"."PerformedProcedureStepStartDate" AS "PpsStartDate", "s1"."PerformedProcedureStepStartTime" AS "PpsStartTime", "s1"."NumberOfInstances" AS "SeriesInstances"
FROM "Studies" AS "s"
INNER JOIN "Series" AS "s1" ON "s"."Id" = "s1"."StudyId"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."StudyInstanceUid" = @Value
ORDER BY "s"."Id", "s1"."SeriesNumber", "s1"."Id"

-- SQLite: instances of a series
.param set @organizationId 2
.param set @Value '1.2.826.0.1.3680043.10.1187.1.13313'
.param set @Value4 '1.2.826.0.1.3680043.10.1187.2.66561'

SELECT "s"."PatientRecordId" AS "PatientKey", "s"."PatientId", "s"."PatientName", "s"."PatientBirthDate", "s"."PatientSex", "s"."Id" AS "StudyKey", "s"."StudyInstanceUid", "s"."StudyDate", "s"."StudyTime", "s"."AccessionNumber", "s"."StudyId", "s"."StudyDescription", "s"."ReferringPhysicianName", "s"."ModalitiesInStudy", "s"."SopClassesInStudy", "s"."NumberOfSeries" AS "StudySeries", "s"."NumberOfInstances" AS "StudyInstances", "s1"."Id" AS "SeriesKey", "s1"."SeriesInstanceUid", "s1"."Modality", "s1"."SeriesNumber", "s1"."SeriesDescription", "s1"."BodyPartExamined", "s1"."SeriesDate", "s1"."SeriesTime", "s1"."PerformedProcedureStepStartDate" AS "PpsStartDate", "s1"."PerformedProcedureStepStartTime" AS "PpsStartTime", "s1"."NumberOfInstances" AS "SeriesInstances", "i"."Id" AS "InstanceKey", "i"."SopInstanceUid", "i"."SopClassUid", "i"."InstanceNumber", "i"."Rows", "i"."Columns", "i"."BitsAllocated", "i"."NumberOfFrames", "i"."StoragePath"
FROM "Studies" AS "s"
INNER JOIN "Series" AS "s1" ON "s"."Id" = "s1"."StudyId"
INNER JOIN "Instances" AS "i" ON "s1"."Id" = "i"."SeriesId"
WHERE ("s"."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS "s0"
    WHERE "s0"."StudyId" = "s"."Id" AND "s0"."OrganizationId" = @organizationId)) AND "s"."StudyInstanceUid" = @Value AND "s1"."SeriesInstanceUid" = @Value4
ORDER BY "s1"."Id", "i"."InstanceNumber", "i"."Id"

-- PostgreSQL: study: PatientName=prefix*
-- @organizationId='2'
-- @Value='XU%'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."PatientNameFolded" LIKE @Value ESCAPE '\'
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: PatientName=*substring*
-- @organizationId='2'
-- @Value='%冯%'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."PatientNameFolded" LIKE @Value ESCAPE '\'
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: StudyDate=one month
-- @organizationId='2'
-- @Value='20220201'
-- @Value4='20220231'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."StudyDate" >= @Value AND s."StudyDate" <= @Value4
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: ModalitiesInStudy
-- @organizationId='2'
-- @Value='US'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND EXISTS (
    SELECT 1
    FROM "Series" AS s1
    WHERE s1."Modality" = @Value AND s1."StudyId" = s."Id")
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: ModalitiesInStudy + one year
-- @organizationId='2'
-- @Value='CT'
-- @Value4='20220101'
-- @Value5='20221231'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND EXISTS (
    SELECT 1
    FROM "Series" AS s1
    WHERE s1."Modality" = @Value AND s1."StudyId" = s."Id") AND s."StudyDate" >= @Value4 AND s."StudyDate" <= @Value5
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: AccessionNumber
-- @organizationId='2'
-- @Value='A00013313'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."AccessionNumber" = @Value
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC

-- PostgreSQL: study: PatientID
-- @organizationId='2'
-- @Value='P0005101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."PatientId" = @Value
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC

-- PostgreSQL: study: StudyInstanceUID
-- @organizationId='2'
-- @Value='1.2.826.0.1.3680043.10.1187.1.13313'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."StudyInstanceUid" = @Value
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC

-- PostgreSQL: study: worklist page (newest 100)
-- @organizationId='2'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: centre reader, shared + own, newest 100
-- @organizationId='1'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: study: centre reader, PatientName=prefix*
-- @organizationId='1'
-- @Value='XU%'
-- @p='101'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances"
FROM "Studies" AS s
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."PatientNameFolded" LIKE @Value ESCAPE '\'
ORDER BY s."StudyDate" DESC, s."StudyTime" DESC, s."Id" DESC
LIMIT @p

-- PostgreSQL: series of a study
-- @organizationId='2'
-- @Value='1.2.826.0.1.3680043.10.1187.1.13313'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances", s1."Id" AS "SeriesKey", s1."SeriesInstanceUid", s1."Modality", s1."SeriesNumber", s1."SeriesDescription", s1."BodyPartExamined", s1."SeriesDate", s1."SeriesTime", s1."PerformedProcedureStepStartDate" AS "PpsStartDate", s1."PerformedProcedureStepStartTime" AS "PpsStartTime", s1."NumberOfInstances" AS "SeriesInstances"
FROM "Studies" AS s
INNER JOIN "Series" AS s1 ON s."Id" = s1."StudyId"
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."StudyInstanceUid" = @Value
ORDER BY s."Id", s1."SeriesNumber", s1."Id"

-- PostgreSQL: instances of a series
-- @organizationId='2'
-- @Value='1.2.826.0.1.3680043.10.1187.1.13313'
-- @Value4='1.2.826.0.1.3680043.10.1187.2.66561'
SELECT s."PatientRecordId" AS "PatientKey", s."PatientId", s."PatientName", s."PatientBirthDate", s."PatientSex", s."Id" AS "StudyKey", s."StudyInstanceUid", s."StudyDate", s."StudyTime", s."AccessionNumber", s."StudyId", s."StudyDescription", s."ReferringPhysicianName", s."ModalitiesInStudy", s."SopClassesInStudy", s."NumberOfSeries" AS "StudySeries", s."NumberOfInstances" AS "StudyInstances", s1."Id" AS "SeriesKey", s1."SeriesInstanceUid", s1."Modality", s1."SeriesNumber", s1."SeriesDescription", s1."BodyPartExamined", s1."SeriesDate", s1."SeriesTime", s1."PerformedProcedureStepStartDate" AS "PpsStartDate", s1."PerformedProcedureStepStartTime" AS "PpsStartTime", s1."NumberOfInstances" AS "SeriesInstances", i."Id" AS "InstanceKey", i."SopInstanceUid", i."SopClassUid", i."InstanceNumber", i."Rows", i."Columns", i."BitsAllocated", i."NumberOfFrames", i."StoragePath"
FROM "Studies" AS s
INNER JOIN "Series" AS s1 ON s."Id" = s1."StudyId"
INNER JOIN "Instances" AS i ON s1."Id" = i."SeriesId"
WHERE (s."OrganizationId" = @organizationId OR EXISTS (
    SELECT 1
    FROM "StudyShares" AS s0
    WHERE s0."StudyId" = s."Id" AND s0."OrganizationId" = @organizationId)) AND s."StudyInstanceUid" = @Value AND s1."SeriesInstanceUid" = @Value4
ORDER BY s1."Id", i."InstanceNumber", i."Id"

