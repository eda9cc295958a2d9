using System.Text.Json;
using Courses.Api.Http;
using Courses.Reliability.Tests.Harness;
using static Courses.Reliability.Tests.Harness.Clinic;

namespace Courses.Reliability.Tests.BadInput;

/// <summary>
/// The photo upload's own corpus: files that are not what they claim (truncated, polyglots, absurd dimensions, a
/// decompression bomb, another format) and multipart bodies with parts missing, doubled or misnamed. Each is a 400
/// problem that names the part at fault, says nothing of the service's internals, and appends nothing.
/// </summary>
public sealed class PhotoUploadCorpusTests(InProcessFixture fixture)
{
    [Fact]
    public async Task Every_bad_upload_is_a_400_problem_naming_its_part_and_appends_nothing()
    {
        var figures = new Figures("bad-photo-uploads");
        var a = await FullRecordAsync(fixture.Api, Tokens.ClinicA);
        var path = $"/api/clients/{a.Client}/photos";
        var token = Tokens.For(Roles.Practitioner);
        var consent = await fixture.Api.Post(token, $"/api/clients/{a.Client}/photo-consents",
            new { signedAt = At(DateTimeOffset.UtcNow.AddDays(-1)), formVersion = "photo-v1", uses = new[] { "clinicalRecord" } });
        Assert.Equal(200, consent.Status);

        var metadata = JsonSerializer.SerializeToUtf8Bytes(new { takenAt = At(DateTimeOffset.UtcNow.AddMinutes(-1)), area = "face", view = "front", kind = "baseline" });
        var jpeg = TestImages.PlainJpeg();
        var png = TestImages.PlainPng();
        (string Case, string Part, (byte[] Body, string ContentType) Request)[] cases =
        [
            ("truncated jpeg", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.Truncated(jpeg)))),
            ("truncated png", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/png", TestImages.Truncated(png)))),
            ("jpeg cut after its header", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", jpeg[..600]))),
            ("polyglot jpeg+zip", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.PolyglotJpegZip()))),
            ("polyglot png+html", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/png", TestImages.PolyglotPngHtml()))),
            ("html before a jpeg", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", [.. "<html>"u8, .. jpeg]))),
            ("png declared as jpeg", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", png))),
            ("jpeg declared as png", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/png", jpeg))),
            ("huge dimensions", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.HugeDimensionsJpeg()))),
            ("decompression bomb", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/png", TestImages.DecompressionBomb()))),
            ("gif", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/gif", "GIF89a\x01\0\x01\0"u8.ToArray()))),
            ("svg with script", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/svg+xml", "<svg><script>alert(1)</script></svg>"u8.ToArray()))),
            ("empty image", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", []))),
            ("no image", "image", TestImages.Multipart(("metadata", null, metadata))),
            ("no metadata", "metadata", TestImages.Multipart(("image", "image/jpeg", jpeg))),
            ("no parts", "metadata", TestImages.Multipart()),
            ("two images", "image", TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", jpeg), ("image", "image/png", png))),
            ("two metadata", "metadata", TestImages.Multipart(("metadata", null, metadata), ("metadata", null, metadata), ("image", "image/jpeg", jpeg))),
            ("misnamed image part", "file", TestImages.Multipart(("metadata", null, metadata), ("file", "image/jpeg", jpeg))),
            ("misnamed metadata part", "meta", TestImages.Multipart(("meta", null, metadata), ("image", "image/jpeg", jpeg))),
            ("metadata not json", "metadata", TestImages.Multipart(("metadata", null, "<xml/>"u8.ToArray()), ("image", "image/jpeg", jpeg))),
            ("metadata an array", "metadata", TestImages.Multipart(("metadata", null, "[1,2]"u8.ToArray()), ("image", "image/jpeg", jpeg))),
            ("metadata without area", "metadata.area", TestImages.Multipart(("metadata", null, """{"takenAt":"2026-01-05T09:00:00+00:00","view":"front","kind":"baseline"}"""u8.ToArray()), ("image", "image/jpeg", jpeg))),
            ("json body", "body", (metadata, "application/json")),
            ("multipart without boundary", "body", (metadata, "multipart/form-data")),
            ("broken multipart", "body", ("--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nno end"u8.ToArray(), "multipart/form-data; boundary=x")),
        ];

        var before = await fixture.EventCountAsync();
        var failures = new List<string>();
        foreach (var (name, part, (body, contentType)) in cases)
        {
            var answer = await fixture.Api.Send(HttpMethod.Post, path, token, rawBody: body, contentType: contentType);
            figures.Add("tried");
            figures.Add($"status {answer.Status}");
            if (answer.Status != 400 || !answer.IsProblem)
                failures.Add($"{name}: {answer.Status} {answer.Body[..Math.Min(300, answer.Body.Length)]}");
            else if (BadInputCorpusTests.Leaks(answer.Body))
                failures.Add($"{name}: internals in {answer.Body}");
            else if (!JsonDocument.Parse(answer.Body).RootElement.GetProperty("errors").TryGetProperty(part, out _))
                failures.Add($"{name}: no error for {part} in {answer.Body}");
        }
        figures.Add("failures", failures.Count);
        figures.Report();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await fixture.EventCountAsync());

        // The same request with a real image is taken: the refusals above were for what each case broke.
        var good = TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.PhoneJpeg()));
        Assert.Equal(201, (await fixture.Api.Send(HttpMethod.Post, path, token, rawBody: good.Body, contentType: good.ContentType)).Status);
    }
}
