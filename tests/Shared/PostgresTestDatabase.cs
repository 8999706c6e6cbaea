using Npgsql;

namespace RadBridge.Tests.Shared;

/// <summary>
/// A fresh, empty PostgreSQL database (<c>rb_&lt;guid&gt;</c>) on the throwaway cluster that <c>./test.sh</c> starts and
/// names in <c>RADBRIDGE_TEST_PG</c>, dropped again on dispose. Use it per test (<see cref="CreateAsync"/> with
/// <c>await using</c>) or per test class (as an xunit <c>IClassFixture</c>: created in InitializeAsync).
/// </summary>
/// <remarks>
/// Link this file into a test project with <c>&lt;Compile Include="../Shared/PostgresTestDatabase.cs" Link="Shared/PostgresTestDatabase.cs" /&gt;</c>;
/// the project needs the Npgsql package (directly or through RadBridge.Archive's EF Core provider).
/// </remarks>
public sealed class PostgresTestDatabase : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The environment variable holding the cluster's Npgsql connection string (any database on it).</summary>
    public const string EnvironmentVariable = "RADBRIDGE_TEST_PG";

    private bool _created;

    public PostgresTestDatabase()
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        Name = "rb_" + Guid.NewGuid().ToString("N");
        server.Database = Name;
        ConnectionString = server.ConnectionString;
    }

    /// <summary>The database's name, <c>rb_</c> and 32 hex digits (a valid unquoted identifier).</summary>
    public string Name { get; }

    /// <summary>The Npgsql connection string of this database (the cluster's, with Database replaced).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The cluster's connection string from <see cref="EnvironmentVariable"/>; throws with the way to get one when it is
    /// unset: a PostgreSQL test must fail, not pass or vanish, when there is no server.
    /// </summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: the PostgreSQL tests need a server. ./test.sh starts a throwaway cluster and sets it; " +
                $"by hand: eval \"$(tests/postgres-cluster.sh start)\", run the tests, then tests/postgres-cluster.sh stop \"$RADBRIDGE_TEST_PG_DIR\".");

    /// <summary>Creates a new database and returns it, ready to use.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        return database;
    }

    public async Task InitializeAsync()
    {
        await using var connection = await OpenServerAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
        await command.ExecuteNonQueryAsync();
        _created = true;
    }

    /// <summary>Drops the database, also when connections (the tested code's pool) are still open on it.</summary>
    public async Task DisposeAsync()
    {
        if (!_created) return;
        _created = false;
        // The tested code's pooled connections would otherwise keep the server sessions; FORCE ends any left over.
        await using (var own = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(own);
        await using var connection = await OpenServerAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>
    /// A connection to the cluster's maintenance database, unpooled: CREATE/DROP DATABASE cannot run inside the
    /// database they name, and a pooled maintenance session would outlive the test run.
    /// </summary>
    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
