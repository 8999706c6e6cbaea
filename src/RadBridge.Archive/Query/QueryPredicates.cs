using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>
/// Translates matching keys into predicates over <see cref="QueryRow"/> that EF turns into SQL on the indexed columns.
/// Values always travel as SQL parameters (never inlined), so one query shape is one cached plan.
/// </summary>
internal sealed class QueryPredicates(ArchiveDbContext db, IndexQuery query)
{
    // Templates written once as C# and bound to a column and a value by parameter substitution.
    private static readonly Expression<Func<string?, string, bool>> EqualTemplate = (c, v) => c == v;
    private static readonly Expression<Func<string?, string, bool>> LikeTemplate = (c, p) => EF.Functions.Like(c!, p, MatchValues.LikeEscape);
    private static readonly Expression<Func<string?, string, bool>> AtLeastTemplate = (c, v) => string.Compare(c, v) >= 0;
    private static readonly Expression<Func<string?, string, bool>> AtMostTemplate = (c, v) => string.Compare(c, v) <= 0;
    private static readonly Expression<Func<string?, string, bool>> AboveTemplate = (c, v) => string.Compare(c, v) > 0;
    private static readonly Expression<Func<string?, string, bool>> BelowTemplate = (c, v) => string.Compare(c, v) < 0;
    private static readonly Expression<Func<string?, string[], bool>> InTemplate = (c, list) => list.Contains(c!);
    private static readonly Expression<Func<int?, int, bool>> IntEqualTemplate = (c, v) => c == v;

    private static readonly (DicomTag Date, DicomTag Time)[] DateTimePairs =
    [
        (DicomTags.StudyDate, DicomTags.StudyTime),
        (DicomTags.SeriesDate, DicomTags.SeriesTime),
        (DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime),
    ];

    /// <summary>The predicates of every non-universal condition the index matches at the query's level.</summary>
    public IEnumerable<Expression<Func<QueryRow, bool>>> Build()
    {
        var combined = new HashSet<DicomTag>();
        if (query.CombinedDateTimeMatching)
        {
            foreach (var (dateTag, timeTag) in DateTimePairs)
            {
                if (query.ConditionOn(dateTag) is { IsUniversal: false } date && query.ConditionOn(timeTag) is { IsUniversal: false } time &&
                    date.Value.Contains('-', StringComparison.Ordinal) && time.Value.Contains('-', StringComparison.Ordinal) &&
                    Columns.Text(query.Level, dateTag) is { } dateColumn && Columns.Text(query.Level, timeTag) is { } timeColumn)
                {
                    combined.Add(dateTag);
                    combined.Add(timeTag);
                    yield return CombinedDateTime(dateColumn, date.Value, timeColumn, time.Value);
                }
            }
        }
        foreach (var condition in query.Conditions)
        {
            if (condition.IsUniversal || combined.Contains(condition.Tag)) continue;
            if (IndexedAttributes.Find(condition.Tag) is not { } attribute || attribute.Level > query.Level || attribute.Matching == IndexMatching.ReturnOnly) continue;
            MatchValues.Validate(attribute, condition.Value);
            yield return For(attribute, condition.Value);
        }
    }

    private Expression<Func<QueryRow, bool>> For(IndexedAttribute attribute, string value)
    {
        var level = query.Level;
        switch (attribute.Matching)
        {
            case IndexMatching.PersonName:
                return PersonName(Columns.Text(level, attribute.Tag)!, Columns.Folded(level, attribute.Tag)!, value);
            case IndexMatching.Text:
                return Text(Columns.Text(level, attribute.Tag)!, value);
            case IndexMatching.Date or IndexMatching.Time:
                return Range(Columns.Text(level, attribute.Tag)!, attribute.Matching, value);
            case IndexMatching.Uid:
                return Uids(Columns.Text(level, attribute.Tag)!, value);
            case IndexMatching.Integer:
                return Bind(Columns.Integer(level, attribute.Tag)!, IntEqualTemplate, int.Parse(value.Trim(), System.Globalization.CultureInfo.InvariantCulture));
            default:
                return attribute.Tag == DicomTags.ModalitiesInStudy ? ModalitiesInStudy(value) : SopClassesInStudy(value);
        }
    }

    private static Expression<Func<QueryRow, bool>> Text(Expression<Func<QueryRow, string?>> column, string value) =>
        MatchValues.HasWildcard(value) ? Bind(column, LikeTemplate, MatchValues.ToLikePattern(value)) : Bind(column, EqualTemplate, value);

    /// <summary>
    /// PN: wildcards and fuzzy matching on the folded column (case, accents and width ignored — PS3.4 C.2.2.2.1 lets PN
    /// matching be insensitive to case); an exact value on the folded column when asked case-insensitive, else on the raw one.
    /// </summary>
    private Expression<Func<QueryRow, bool>> PersonName(Expression<Func<QueryRow, string?>> raw, Expression<Func<QueryRow, string?>> folded, string value)
    {
        var foldedValue = PersonNameFolding.Fold(value) ?? "";
        if (MatchValues.HasWildcard(value)) return Bind(folded, LikeTemplate, MatchValues.ToLikePattern(foldedValue));
        if (query.FuzzyMatching)
        {
            // The value begins the name or any of its components or words ("san" finds "Zhang^San", "张" finds "…=张^伟").
            var prefix = MatchValues.ToLikePattern(foldedValue) + "%";
            return Or(
                Bind(folded, LikeTemplate, prefix),
                Bind(folded, LikeTemplate, "%^" + prefix),
                Bind(folded, LikeTemplate, "% " + prefix),
                Bind(folded, LikeTemplate, "%=" + prefix));
        }
        return query.CaseInsensitivePersonNames ? Bind(folded, EqualTemplate, foldedValue) : Bind(raw, EqualTemplate, value);
    }

    private static Expression<Func<QueryRow, bool>> Range(Expression<Func<QueryRow, string?>> column, IndexMatching kind, string value)
    {
        MatchValues.TryRange(kind, value, out var low, out var high);
        if (low is not null && high is not null && low == high) return Bind(column, EqualTemplate, low);
        Expression<Func<QueryRow, bool>>? result = null;
        if (low is not null) result = Bind(column, AtLeastTemplate, low);
        if (high is not null)
        {
            var upper = Bind(column, AtMostTemplate, high);
            result = result is null ? upper : And(result, upper);
        }
        return result!;
    }

    /// <summary>
    /// PS3.4 C.2.2.2.5.1: "date low-high" and "time low-high" as one range from (low date, low time) to (high date, high time).
    /// </summary>
    private static Expression<Func<QueryRow, bool>> CombinedDateTime(Expression<Func<QueryRow, string?>> date, string dateValue, Expression<Func<QueryRow, string?>> time, string timeValue)
    {
        MatchValues.TryRange(IndexMatching.Date, dateValue, out var dateLow, out var dateHigh);
        MatchValues.TryRange(IndexMatching.Time, timeValue, out var timeLow, out var timeHigh);
        Expression<Func<QueryRow, bool>>? result = null;
        if (dateLow is not null)
        {
            var after = Bind(date, AboveTemplate, dateLow);
            result = timeLow is null ? Bind(date, AtLeastTemplate, dateLow) : Or(after, And(Bind(date, EqualTemplate, dateLow), Bind(time, AtLeastTemplate, timeLow)));
        }
        if (dateHigh is not null)
        {
            var before = Bind(date, BelowTemplate, dateHigh);
            var upper = timeHigh is null ? Bind(date, AtMostTemplate, dateHigh) : Or(before, And(Bind(date, EqualTemplate, dateHigh), Bind(time, AtMostTemplate, timeHigh)));
            result = result is null ? upper : And(result, upper);
        }
        return result!;
    }

    private static Expression<Func<QueryRow, bool>> Uids(Expression<Func<QueryRow, string?>> column, string value)
    {
        var uids = MatchValues.UidList(value);
        return uids.Length == 1 ? Bind(column, EqualTemplate, uids[0]) : Bind(column, InTemplate, uids);
    }

    /// <summary>Modalities in Study (multi-valued): matches when a series of the study matches any of the key's values.</summary>
    private Expression<Func<QueryRow, bool>> ModalitiesInStudy(string value)
    {
        Expression<Func<SeriesRecord, string?>> modality = se => se.Modality;
        var values = value.Split('\\', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var exact = values.Where(v => !MatchValues.HasWildcard(v)).Distinct(StringComparer.Ordinal).ToArray();
        var alternatives = values.Where(MatchValues.HasWildcard).Select(v => Bind(modality, LikeTemplate, MatchValues.ToLikePattern(v))).ToList();
        if (exact.Length == 1) alternatives.Add(Bind(modality, EqualTemplate, exact[0]));
        else if (exact.Length > 1) alternatives.Add(Bind(modality, InTemplate, exact));
        var matching = Or([.. alternatives]);
        var series = db.Series.Where(matching);
        return r => series.Any(se => se.StudyId == r.Study.Id);
    }

    /// <summary>SOP Classes in Study: matches when an instance of the study has one of the key's SOP classes.</summary>
    private Expression<Func<QueryRow, bool>> SopClassesInStudy(string value)
    {
        var uids = MatchValues.UidList(value);
        var instances = db.Instances.Where(i => uids.Contains(i.SopClassUid));
        return r => instances.Any(i => i.StudyId == r.Study.Id);
    }

    /// <summary>Substitutes the column for the template's first parameter and a parameterised value for its second.</summary>
    private static Expression<Func<TRow, bool>> Bind<TRow, TColumn, TValue>(Expression<Func<TRow, TColumn>> column, Expression<Func<TColumn, TValue, bool>> template, TValue value)
    {
        var holder = Expression.Field(Expression.Constant(new ValueHolder<TValue>(value)), nameof(ValueHolder<TValue>.Value));
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [template.Parameters[0]] = column.Body,
            [template.Parameters[1]] = holder,
        }).Visit(template.Body);
        return Expression.Lambda<Func<TRow, bool>>(body, column.Parameters);
    }

    private static Expression<Func<T, bool>> And<T>(Expression<Func<T, bool>> a, Expression<Func<T, bool>> b) => Combine(Expression.AndAlso, a, b);

    private static Expression<Func<T, bool>> Or<T>(params Expression<Func<T, bool>>[] terms) =>
        terms.Aggregate((a, b) => Combine(Expression.OrElse, a, b));

    private static Expression<Func<T, bool>> Combine<T>(Func<Expression, Expression, BinaryExpression> op, Expression<Func<T, bool>> a, Expression<Func<T, bool>> b)
    {
        var p = a.Parameters[0];
        var right = new Substitute(new Dictionary<ParameterExpression, Expression> { [b.Parameters[0]] = p }).Visit(b.Body);
        return Expression.Lambda<Func<T, bool>>(op(a.Body, right), p);
    }

    // A field read off a constant object is what a captured C# variable looks like: EF makes it a SQL parameter.
    private sealed class ValueHolder<T>(T value)
    {
#pragma warning disable CA1051 // a field, not a property: the shape EF's funcletizer parameterises like a closure
        public readonly T Value = value;
#pragma warning restore CA1051
    }

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var e) ? e : node;
    }
}

/// <summary>The column of an indexed attribute at a query level (patient attributes come from the study row's copy except at the patient level).</summary>
internal static class Columns
{
    public static Expression<Func<QueryRow, string?>>? Text(QueryLevel level, DicomTag tag)
    {
        if (level == QueryLevel.Patient)
        {
            if (tag == DicomTags.PatientID) return r => r.Patient.PatientId;
            if (tag == DicomTags.PatientName) return r => r.Patient.PatientName;
            if (tag == DicomTags.PatientBirthDate) return r => r.Patient.BirthDate;
            if (tag == DicomTags.PatientSex) return r => r.Patient.Sex;
            return null;
        }
        if (tag == DicomTags.PatientID) return r => r.Study.PatientId;
        if (tag == DicomTags.PatientName) return r => r.Study.PatientName;
        if (tag == DicomTags.PatientBirthDate) return r => r.Study.PatientBirthDate;
        if (tag == DicomTags.PatientSex) return r => r.Study.PatientSex;
        if (tag == DicomTags.StudyInstanceUID) return r => r.Study.StudyInstanceUid;
        if (tag == DicomTags.StudyDate) return r => r.Study.StudyDate;
        if (tag == DicomTags.StudyTime) return r => r.Study.StudyTime;
        if (tag == DicomTags.AccessionNumber) return r => r.Study.AccessionNumber;
        if (tag == DicomTags.StudyID) return r => r.Study.StudyId;
        if (tag == DicomTags.StudyDescription) return r => r.Study.StudyDescription;
        if (tag == DicomTags.ReferringPhysicianName) return r => r.Study.ReferringPhysicianName;
        if (level == QueryLevel.Study) return null;
        if (tag == DicomTags.SeriesInstanceUID) return r => r.Series.SeriesInstanceUid;
        if (tag == DicomTags.Modality) return r => r.Series.Modality;
        if (tag == DicomTags.SeriesDescription) return r => r.Series.SeriesDescription;
        if (tag == DicomTags.BodyPartExamined) return r => r.Series.BodyPartExamined;
        if (tag == DicomTags.SeriesDate) return r => r.Series.SeriesDate;
        if (tag == DicomTags.SeriesTime) return r => r.Series.SeriesTime;
        if (tag == DicomTags.PerformedProcedureStepStartDate) return r => r.Series.PerformedProcedureStepStartDate;
        if (tag == DicomTags.PerformedProcedureStepStartTime) return r => r.Series.PerformedProcedureStepStartTime;
        if (level == QueryLevel.Series) return null;
        if (tag == DicomTags.SOPInstanceUID) return r => r.Instance.SopInstanceUid;
        if (tag == DicomTags.SOPClassUID) return r => r.Instance.SopClassUid;
        return null;
    }

    public static Expression<Func<QueryRow, string?>>? Folded(QueryLevel level, DicomTag tag)
    {
        if (tag == DicomTags.PatientName) return level == QueryLevel.Patient ? r => r.Patient.PatientNameFolded : r => r.Study.PatientNameFolded;
        if (tag == DicomTags.ReferringPhysicianName && level != QueryLevel.Patient) return r => r.Study.ReferringPhysicianNameFolded;
        return null;
    }

    public static Expression<Func<QueryRow, int?>>? Integer(QueryLevel level, DicomTag tag)
    {
        if (level >= QueryLevel.Series && tag == DicomTags.SeriesNumber) return r => r.Series.SeriesNumber;
        if (level < QueryLevel.Image) return null;
        if (tag == DicomTags.InstanceNumber) return r => r.Instance.InstanceNumber;
        if (tag == DicomTags.Rows) return r => r.Instance.Rows;
        if (tag == DicomTags.Columns) return r => r.Instance.Columns;
        if (tag == DicomTags.BitsAllocated) return r => r.Instance.BitsAllocated;
        if (tag == DicomTags.NumberOfFrames) return r => r.Instance.NumberOfFrames;
        return null;
    }
}
