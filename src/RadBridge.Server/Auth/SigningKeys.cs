using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace RadBridge.Server.Auth;

/// <summary>
/// The token server's RSA keys, generated on first start and kept in the data directory's keys folder (mode 600), so
/// tokens issued before a restart stay valid after it. Not ephemeral keys, not development certificates.
/// </summary>
internal static class SigningKeys
{
    public const string SigningFile = "oauth-signing-key.pem";
    public const string EncryptionFile = "oauth-encryption-key.pem";

    /// <summary>Reads the key in <paramref name="path"/>, creating it first when absent.</summary>
    public static RsaSecurityKey LoadOrCreate(string path)
    {
        if (!File.Exists(path)) TryCreate(path);
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        var key = new RsaSecurityKey(rsa);
        // A stable key id (the JWK thumbprint): tokens name the key that signed them, and it must be the same key after a restart.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    private static void TryCreate(string path)
    {
        using var rsa = RSA.Create(2048);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // A second server process on the same data directory made it first: use that one.
            File.Delete(temp);
        }
    }
}
