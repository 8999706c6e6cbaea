using System.Net.Http.Headers;
using System.Text;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>One part of a multipart/related response: its Content-Type and bytes.</summary>
internal sealed record BodyPart(string ContentType, byte[] Content);

/// <summary>A small, strict reader of multipart/related bodies (RFC 2046 delimiters), written for the tests.</summary>
internal static class MultipartBody
{
    public static async Task<IReadOnlyList<BodyPart>> ReadAsync(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType ?? throw new InvalidOperationException("no Content-Type");
        Assert.Equal("multipart/related", type.MediaType);
        var boundary = type.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        return Parse(await response.Content.ReadAsByteArrayAsync(), boundary);
    }

    public static IReadOnlyList<BodyPart> Parse(byte[] body, string boundary)
    {
        var first = Encoding.ASCII.GetBytes("--" + boundary + "\r\n");
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        Assert.True(body.AsSpan().StartsWith(first), "the body starts with the first boundary");
        var parts = new List<BodyPart>();
        var at = first.Length;
        while (true)
        {
            var headerEnd = body.AsSpan(at).IndexOf("\r\n\r\n"u8);
            Assert.True(headerEnd >= 0, "part headers end with an empty line");
            var headers = Encoding.ASCII.GetString(body, at, headerEnd).Split("\r\n");
            var contentType = headers.Single(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))["Content-Type:".Length..].Trim();
            var start = at + headerEnd + 4;
            var end = body.AsSpan(start).IndexOf(delimiter);
            Assert.True(end >= 0, "every part ends with a delimiter");
            parts.Add(new BodyPart(contentType, body.AsSpan(start, end).ToArray()));
            at = start + end + delimiter.Length;
            if (body.AsSpan(at).StartsWith("--"u8)) return parts;
            Assert.True(body.AsSpan(at).StartsWith("\r\n"u8));
            at += 2;
        }
    }

    public static MediaTypeWithQualityHeaderValue Accept(string text) => MediaTypeWithQualityHeaderValue.Parse(text);
}
