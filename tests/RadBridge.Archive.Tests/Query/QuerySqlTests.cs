using RadBridge.Archive.Query;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Tests.Query;

/// <summary>
/// The SQL the engine generates: the tenant predicate is inside it (a guard against a future post-filter), values are
/// parameters, paging is in SQL.
/// </summary>
public sealed class QuerySqlTests(SqliteQueryArchiveFixture fixture) : IClassFixture<SqliteQueryArchiveFixture>
{
    // The statement without the ".param set" lines EF puts before it.
    private string Sql(QueryLevel level, string parameters)
    {
        using var db = fixture.Archive.Open();
        var text = ArchiveQueryService.ToQueryString(db, fixture.ClinicA, QidoQueryParser.Parse(level, QueryArchiveFixture.Pairs(parameters)));
        return string.Join('\n', text.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(QueryLevel.Study)]
    [InlineData(QueryLevel.Series)]
    [InlineData(QueryLevel.Image)]
    public void The_tenant_predicate_is_part_of_the_query(QueryLevel level)
    {
        var sql = Sql(level, "PatientName=*张*&limit=10&offset=5");
        var where = sql[sql.IndexOf("WHERE", StringComparison.Ordinal)..];
        Assert.Contains("\"OrganizationId\" = @", where, StringComparison.Ordinal);
        Assert.Contains("\"StudyShares\"", where, StringComparison.Ordinal);
        Assert.Contains("LIMIT", sql, StringComparison.Ordinal);
        Assert.Contains("OFFSET", sql, StringComparison.Ordinal);
        Assert.Contains("LIKE @", sql, StringComparison.Ordinal);
        Assert.Contains("ESCAPE '\\'", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("张", sql, StringComparison.Ordinal); // the value travels as a parameter
    }

    [Fact]
    public void A_study_query_reads_the_study_table_only_and_projects_columns()
    {
        var sql = Sql(QueryLevel.Study, "StudyDate=20240101-20240131&AccessionNumber=ACC1");
        Assert.DoesNotContain("\"Series\"", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Instances\"", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("\"CreatedAt\"", sql, StringComparison.Ordinal); // a projection, not whole entities
        Assert.Contains("\"StudyDate\" >= @", sql, StringComparison.Ordinal);
        Assert.Contains("\"StudyDate\" <= @", sql, StringComparison.Ordinal);
        Assert.Contains("ORDER BY", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void An_auditor_query_is_false_in_sql()
    {
        using var db = fixture.Archive.Open();
        var sql = ArchiveQueryService.ToQueryString(db, fixture.AuditorA, new IndexQuery { Level = QueryLevel.Study });
        Assert.DoesNotContain(".param", sql, StringComparison.Ordinal); // nothing about the caller's organisation is even sent
        Assert.DoesNotContain("\"OrganizationId\" = @", sql, StringComparison.Ordinal);
        Assert.Matches("WHERE 0|WHERE FALSE", sql);
    }
}
