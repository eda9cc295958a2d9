using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alba;
using Microsoft.AspNetCore.Http;
using Courses.Api.Audit;
using Courses.Api.Http;
using Courses.Api.Photos;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Assessments;
using Courses.Domain.Photos;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using Wolverine.Tracking;

namespace Courses.Api.Tests.Photos;

/// <summary>
/// Clinical photos over HTTP, run once per photo store (database, S3 on a real S3 server): consent, upload, the image
/// kept without its metadata and with its pixels as shot, the reads, retraction, and what a failing store leaves.
/// </summary>
public abstract class PhotoTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Photos(Guid client) => $"/api/clients/{client}/photos";

    /// <summary>Every image the store holds, as clinic/sha256, read behind the service's back.</summary>
    protected abstract Task<IReadOnlyList<string>> StoredImagesAsync();

    /// <summary>Makes the store fail every write until disposed.</summary>
    protected abstract Task<IAsyncDisposable> StoreDownAsync();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var store = Host.Services.GetRequiredService<IPhotoStore>();
        await foreach (var key in store.ListAsync(CancellationToken.None)) await store.DeleteAsync(key.Clinic, key.Sha256, CancellationToken.None);
    }

    private static object Metadata(DateTimeOffset takenAt, string kind = "baseline", string area = "face", string view = "front",
        Guid? sessionId = null, string? lighting = "standard") =>
        new { takenAt = At(takenAt), area, view, kind, sessionId, lighting, notes = (string?)null };

    private async Task<IScenarioResult> Upload(Guid client, object? metadata, byte[]? image, string type = "image/jpeg", int status = 201,
        string role = Roles.Practitioner, string clinic = Tokens.Clinic)
    {
        var parts = new List<(string, string?, byte[])>();
        if (metadata is not null) parts.Add(("metadata", null, JsonSerializer.SerializeToUtf8Bytes(metadata)));
        if (image is not null) parts.Add(("image", type, image));
        return await UploadRaw(client, TestImages.Multipart([.. parts]), status, role, clinic);
    }

    private Task<IScenarioResult> UploadRaw(Guid client, (byte[] Body, string ContentType) body, int status,
        string role = Roles.Practitioner, string clinic = Tokens.Clinic) => Uploaded(client, body, status, role, clinic);

    private async Task<PhotoTakenAnswer> Taken(Guid client, object metadata, byte[] image, string type = "image/jpeg") =>
        await AnswerOf<PhotoTakenAnswer>(await Upload(client, metadata, image, type));

    private async Task<Guid> ConsentedClient(params string[] uses)
    {
        var client = await RegisteredClient();
        await Accepted($"/api/clients/{client}/photo-consents",
            new { signedAt = At(Clock.GetUtcNow().AddDays(-1)), formVersion = "photo-v2", uses = uses.Length == 0 ? ["clinicalRecord"] : uses });
        return client;
    }

    private async Task<(byte[] Bytes, IHeaderDictionary Headers)> Image(Guid client, Guid photo, string query = "", int status = 200,
        string role = Roles.Practitioner)
    {
        var result = await As(role, s =>
        {
            s.Get.Url($"{Photos(client)}/{photo}/image{query}");
            s.StatusCodeShouldBe(status);
        });
        using var body = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(body);
        return (body.ToArray(), result.Context.Response.Headers);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] PixelsOf(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image);
        Assert.NotNull(bitmap);
        return bitmap.GetPixelSpan().ToArray();
    }

    [Fact]
    public async Task A_phone_photo_is_kept_without_its_metadata_with_its_pixels_as_shot_and_the_event_vouches_for_it()
    {
        var client = await ConsentedClient();
        var original = TestImages.PhoneJpeg(640, 480, orientation: 6);

        var taken = await Taken(client, Metadata(Clock.GetUtcNow()), original);
        var (kept, headers) = await Image(client, taken.PhotoId);

        ReadModel.Equal(new PhotoTakenAnswer(taken.PhotoId, Sha256(kept), 640, 480, "image/jpeg", client, 2), taken);
        foreach (var secret in TestImages.Secrets)
            Assert.False(Encoding.Latin1.GetString(kept).Contains(secret, StringComparison.Ordinal), $"the stored image still holds {secret}");
        Assert.True(kept.Length < original.Length);
        // Not re-encoded: every pixel decodes exactly as the camera's file did.
        Assert.Equal(PixelsOf(original), PixelsOf(kept));
        Assert.Equal($"\"{taken.Sha256}\"", headers.ETag.ToString());
        Assert.Equal("private, no-store", headers.CacheControl.ToString());
        Assert.Equal("image/jpeg", headers.ContentType.ToString());
        Assert.Equal([$"{Tokens.Clinic}/{taken.Sha256}"], await StoredImagesAsync());

        await using var session = Fixture.Store.QuerySession(Tokens.Clinic);
        var events = await session.Events.FetchStreamAsync(client);
        var photoTaken = Assert.IsType<PhotoTaken>(events.Last().Data);
        Assert.Equal(taken.Sha256, photoTaken.Sha256);
        Assert.Equal(6, photoTaken.Orientation);
        Assert.Equal(kept.Length, photoTaken.SizeBytes);
        // The hash chain covers the event that carries the image's hash.
        var chain = await Read<ChainVerification>($"/api/clients/{client}/history/verify?photos=true", Roles.Auditor);
        Assert.Equal("intact", chain.Status);
    }

    [Fact]
    public async Task A_png_loses_its_text_time_and_exif_chunks_and_keeps_its_pixels()
    {
        var client = await ConsentedClient();
        var original = TestImages.AnnotatedPng(200, 150);

        var taken = await Taken(client, Metadata(Clock.GetUtcNow(), view: "left45"), original, "image/png");
        var (kept, headers) = await Image(client, taken.PhotoId);

        ReadModel.Equal(new PhotoTakenAnswer(taken.PhotoId, Sha256(kept), 200, 150, "image/png", client, 2), taken);
        foreach (var chunk in new[] { "tEXt", "iTXt", "tIME", "eXIf", "PNG-TEXT-SECRET", "ITXT-SECRET" })
            Assert.False(Encoding.Latin1.GetString(kept).Contains(chunk, StringComparison.Ordinal), $"the stored image still holds {chunk}");
        Assert.Equal(PixelsOf(original), PixelsOf(kept));
        Assert.Equal("image/png", headers.ContentType.ToString());
    }

    [Fact]
    public async Task The_thumbnail_is_a_small_jpeg_turned_as_the_camera_was_held_and_every_image_served_is_logged()
    {
        var client = await ConsentedClient();
        var taken = await Taken(client, Metadata(Clock.GetUtcNow()), TestImages.PhoneJpeg(1600, 1200, orientation: 6));

        var (thumbnail, headers) = await Image(client, taken.PhotoId, "?size=thumbnail", role: Roles.Auditor);
        using var decoded = SKBitmap.Decode(thumbnail);
        // 1600 × 1200 held upright (EXIF orientation 6): 240 × 320.
        Assert.Equal((240, 320), (decoded.Width, decoded.Height));
        Assert.Equal("image/jpeg", headers.ContentType.ToString());
        Assert.Equal("private, no-store", headers.CacheControl.ToString());
        await Image(client, taken.PhotoId);

        await using var session = Fixture.Store.QuerySession(Tokens.Clinic);
        var reads = await session.Query<AccessRecord>().Where(r => r.Route == "/api/clients/{clientId}/photos/{photoId}/image").ToListAsync();
        Assert.Equal([(Roles.Auditor, 200), (Roles.Practitioner, 200)],
            reads.Select(r => (r.UserId.Replace("user-", ""), r.Status)).Order().ToList());
        Assert.All(reads, r => Assert.Equal([client], r.ClientIds));
    }

    [Fact]
    public async Task No_photo_is_taken_without_a_clinical_record_consent_in_force_at_its_time()
    {
        var now = Clock.GetUtcNow();
        var none = await RegisteredClient();
        var educationOnly = await ConsentedClient("education", "marketing");
        var withdrawn = await ConsentedClient("clinicalRecord", "education");
        await Accepted($"/api/clients/{withdrawn}/photo-consents/withdraw", new { withdrawnAt = At(now.AddHours(-2)), uses = new[] { "clinicalRecord" } });
        var before = await EventCountAsync();

        foreach (var client in new[] { none, educationOnly, withdrawn })
        {
            var problem = await (await Upload(client, Metadata(now), TestImages.PlainJpeg(), status: 422)).ReadAsJsonAsync<JsonElement>();
            Assert.Equal(RuleCodes.PhotoConsentRequired, problem.GetProperty("code").GetString());
        }
        // Before the withdrawal the consent was in force.
        await Taken(withdrawn, Metadata(now.AddHours(-3)), TestImages.PlainJpeg());

        Assert.Equal(before + 1, await EventCountAsync());
        Assert.Single(await StoredImagesAsync());
        await Refused($"/api/clients/{educationOnly}/photo-consents/withdraw", new { withdrawnAt = At(now), uses = new[] { "clinicalRecord" } },
            RuleCodes.NoConsentInForce);
    }

    [Fact]
    public async Task The_list_is_newest_first_filtered_by_area_view_and_kind()
    {
        var client = await ConsentedClient();
        var t = Clock.GetUtcNow();
        var baseline = await Taken(client, Metadata(t.AddHours(-3), "baseline", "face", "front"), TestImages.PlainJpeg(320, 240));
        var side = await Taken(client, Metadata(t.AddHours(-2), "baseline", "face", "left90", lighting: "crossPolarised"), TestImages.PlainPng(), "image/png");
        var neck = await Taken(client, Metadata(t.AddHours(-1), "progress", "neck", "front", lighting: null), TestImages.PlainJpeg(300, 200));

        PhotoEntry Entry(PhotoTakenAnswer a, DateTimeOffset at, Area area, PhotoView view, AssessmentKind kind, PhotoLighting? lighting) =>
            new(a.PhotoId, at, area, view, kind, null, lighting, a.Sha256, a.Width, a.Height, a.ContentType, 1, false);
        var all = new PhotoList([
            Entry(neck, t.AddHours(-1), Area.Neck, PhotoView.Front, AssessmentKind.Progress, null),
            Entry(side, t.AddHours(-2), Area.Face, PhotoView.Left90, AssessmentKind.Baseline, PhotoLighting.CrossPolarised),
            Entry(baseline, t.AddHours(-3), Area.Face, PhotoView.Front, AssessmentKind.Baseline, PhotoLighting.Standard),
        ]);
        ReadModel.Equal(all, await Read<PhotoList>(Photos(client), Roles.Auditor));
        ReadModel.Equal(new PhotoList([all.Items[1], all.Items[2]]), await Read<PhotoList>($"{Photos(client)}?area=face"));
        ReadModel.Equal(new PhotoList([all.Items[0], all.Items[2]]), await Read<PhotoList>($"{Photos(client)}?view=front"));
        ReadModel.Equal(new PhotoList([all.Items[0]]), await Read<PhotoList>($"{Photos(client)}?kind=progress&area=neck"));
        await As(Roles.Practitioner, s => { s.Get.Url($"{Photos(client)}?view=sideways"); s.StatusCodeShouldBe(400); });
    }

    [Fact]
    public async Task The_timeline_shows_each_photo_with_its_sessions_depth_and_serum_and_that_days_scores()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(faceDepth: 0.5m));
        await Accepted($"/api/clients/{client}/photo-consents", new { signedAt = At(Clock.GetUtcNow().AddDays(-1)), formVersion = "photo-v2", uses = new[] { "clinicalRecord" } });
        var start = Clock.GetUtcNow();
        var before = await Taken(client, Metadata(start.AddMinutes(-40), "baseline"), TestImages.PlainJpeg(320, 240));
        await Assessed(client, Assessment(start.AddMinutes(-30), "baseline", [Score("fineLines", 3, "face"), Score("mMasi", 6.2m), Score("poreSize", 2, "neck")]));
        var first = await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(28));
        var second = await RecordedSession(client, course, 1.0m);
        var during = await Taken(client, Metadata(Clock.GetUtcNow(), "progress", sessionId: second.SessionId), TestImages.PlainJpeg(330, 240));
        var other = await Taken(client, Metadata(Clock.GetUtcNow(), "progress", view: "left45"), TestImages.PlainJpeg(340, 240));

        var serum = (await CourseOf(client, course)).Sessions[1].Serum;
        var timeline = await Read<PhotoTimelineAnswer>($"{Photos(client)}/timeline?area=face&view=front", Roles.Auditor);

        ReadModel.Equal(new PhotoTimelineAnswer(client, Area.Face, PhotoView.Front,
        [
            new TimelinePhoto(before.PhotoId, start.AddMinutes(-40), AssessmentKind.Baseline, null, null, null, null,
                [new SkinScore("fineLines", 3, Area.Face), new SkinScore("mMasi", 6.2m, null)]),
            new TimelinePhoto(during.PhotoId, Clock.GetUtcNow(), AssessmentKind.Progress, second.SessionId, 2, 1.0m, serum, []),
        ], timeline.Version), timeline);
        Assert.NotEqual(other.PhotoId, timeline.Items[^1].PhotoId);
        Assert.NotEqual(first.SessionId, second.SessionId);
        await As(Roles.Practitioner, s => { s.Get.Url($"{Photos(client)}/timeline?area=face"); s.StatusCodeShouldBe(400); });
    }

    [Fact]
    public async Task A_retracted_photo_loses_its_image_keeps_its_event_and_answers_410()
    {
        var client = await ConsentedClient();
        var taken = await Taken(client, Metadata(Clock.GetUtcNow()), TestImages.PhoneJpeg());
        var kept = await Taken(client, Metadata(Clock.GetUtcNow(), view: "right45"), TestImages.PlainPng(), "image/png");

        await Host.ExecuteAndWaitAsync(async () =>
            await Accepted($"{Photos(client)}/{taken.PhotoId}/retract", new { reason = "Wrong client in the frame." }));

        await Image(client, taken.PhotoId, status: 410);
        await Image(client, taken.PhotoId, "?size=thumbnail", status: 410);
        Assert.Equal([$"{Tokens.Clinic}/{kept.Sha256}"], await StoredImagesAsync());
        var list = await Read<PhotoList>(Photos(client));
        Assert.Equal([(taken.PhotoId, true), (kept.PhotoId, false)], list.Items.Select(p => (p.PhotoId, p.Retracted)).OrderBy(p => p.Retracted ? 0 : 1).ToList());

        await using var session = Fixture.Store.QuerySession(Tokens.Clinic);
        var events = (await session.Events.FetchStreamAsync(client)).Select(e => e.Data).ToList();
        Assert.Equal(taken.Sha256, events.OfType<PhotoTaken>().First().Sha256);
        Assert.Equal(taken.Sha256, Assert.Single(events.OfType<PhotoRetracted>()).Sha256);

        await Refused($"{Photos(client)}/{taken.PhotoId}/retract", new { reason = "again" }, RuleCodes.PhotoRetracted);
        await As(Roles.Practitioner, s => { s.Post.Json(new { reason = "no such" }).ToUrl($"{Photos(client)}/{Guid.NewGuid()}/retract"); s.StatusCodeShouldBe(404); });
        // The retracted image is not missing: verify re-hashes only the images still kept.
        Assert.Equal("intact", (await Read<ChainVerification>($"/api/clients/{client}/history/verify?photos=true", Roles.Auditor)).Status);
    }

    [Fact]
    public async Task Verify_with_photos_finds_a_stored_image_that_no_longer_matches_its_hash()
    {
        var client = await ConsentedClient();
        var taken = await Taken(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg());
        var store = Host.Services.GetRequiredService<IPhotoStore>();
        // Someone with access to the store swaps the bytes behind the service's back.
        var other = TestImages.PlainPng();
        await store.DeleteAsync(Tokens.Clinic, taken.Sha256, CancellationToken.None);
        await store.PutAsync(Tokens.Clinic, taken.Sha256, "image/jpeg", other, other, Clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal("intact", (await Read<ChainVerification>($"/api/clients/{client}/history/verify", Roles.Auditor)).Status);
        var verified = await Read<ChainVerification>($"/api/clients/{client}/history/verify?photos=true", Roles.Auditor);
        Assert.Equal("broken", verified.Status);
        Assert.Contains(taken.PhotoId.ToString(), verified.Detail);
    }

    [Fact]
    public async Task A_store_that_fails_records_nothing_and_answers_503()
    {
        var client = await ConsentedClient();
        var before = await EventCountAsync();
        await using (await StoreDownAsync())
        {
            var problem = await (await Upload(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg(), status: 503)).ReadAsJsonAsync<JsonElement>();
            Assert.Equal("Photo store unavailable", problem.GetProperty("title").GetString());
            Assert.DoesNotContain("at ", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(before, await EventCountAsync());
        Assert.Empty((await Read<PhotoList>(Photos(client))).Items);
        // The same upload once the store is back is taken.
        await Taken(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg());
    }

    [Fact]
    public async Task An_image_whose_event_was_never_written_is_swept_once_its_grace_has_passed()
    {
        var client = await ConsentedClient();
        var kept = await Taken(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg(320, 240));
        var before = await EventCountAsync();

        // The image is stored, then the commit of its event fails.
        await using (await Sabotage($"{Fixture.EventSchema}.mt_events", "new.type = 'photo_taken'"))
            await Upload(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg(300, 200), status: 500);
        Assert.Equal(before, await EventCountAsync());
        Assert.Equal(2, (await StoredImagesAsync()).Count);

        var sweep = Host.Services.GetRequiredService<OrphanSweep>();
        Assert.Equal(0, await sweep.SweepAsync(CancellationToken.None));
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await sweep.SweepAsync(CancellationToken.None));
        Assert.Equal([$"{Tokens.Clinic}/{kept.Sha256}"], await StoredImagesAsync());
        await Image(client, kept.PhotoId);
    }

    public static TheoryData<string, string> BadUploads => new()
    {
        { "truncated jpeg", "image" },
        { "polyglot jpeg+zip", "image" },
        { "polyglot png+html", "image" },
        { "png declared as jpeg", "image" },
        { "huge dimensions", "image" },
        { "decompression bomb", "image" },
        { "not an image", "image" },
        { "gif type", "image" },
        { "empty image", "image" },
        { "no image part", "image" },
        { "no metadata part", "metadata" },
        { "two images", "image" },
        { "unknown part", "picture" },
        { "metadata not json", "metadata" },
        { "metadata wrong time", "metadata.takenAt" },
        { "metadata unknown view", "metadata.view" },
        { "healing check without session", "metadata.sessionId" },
        { "not multipart", "body" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_bad_upload_is_refused_with_400_naming_the_part_and_changes_nothing(string name, string field)
    {
        var client = await ConsentedClient();
        var now = Clock.GetUtcNow();
        var metadata = JsonSerializer.SerializeToUtf8Bytes(Metadata(now));
        var jpeg = TestImages.PlainJpeg();
        (byte[], string) body = name switch
        {
            "truncated jpeg" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.Truncated(jpeg))),
            "polyglot jpeg+zip" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.PolyglotJpegZip())),
            "polyglot png+html" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/png", TestImages.PolyglotPngHtml())),
            "png declared as jpeg" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.PlainPng())),
            "huge dimensions" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", TestImages.HugeDimensionsJpeg())),
            "decompression bomb" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/png", TestImages.DecompressionBomb())),
            "not an image" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", "%PDF-1.7 not a photo"u8.ToArray())),
            "gif type" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/gif", "GIF89a"u8.ToArray())),
            "empty image" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", [])),
            "no image part" => TestImages.Multipart(("metadata", null, metadata)),
            "no metadata part" => TestImages.Multipart(("image", "image/jpeg", jpeg)),
            "two images" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", jpeg), ("image", "image/jpeg", jpeg)),
            "unknown part" => TestImages.Multipart(("metadata", null, metadata), ("image", "image/jpeg", jpeg), ("picture", "image/jpeg", jpeg)),
            "metadata not json" => TestImages.Multipart(("metadata", null, "takenAt=now"u8.ToArray()), ("image", "image/jpeg", jpeg)),
            "metadata wrong time" => TestImages.Multipart(("metadata", null, """{"takenAt":"yesterday","area":"face","view":"front","kind":"baseline"}"""u8.ToArray()), ("image", "image/jpeg", jpeg)),
            "metadata unknown view" => TestImages.Multipart(("metadata", null, JsonSerializer.SerializeToUtf8Bytes(Metadata(now, view: "sideways"))), ("image", "image/jpeg", jpeg)),
            "healing check without session" => TestImages.Multipart(("metadata", null, JsonSerializer.SerializeToUtf8Bytes(Metadata(now, kind: "healingCheck"))), ("image", "image/jpeg", jpeg)),
            "not multipart" => (metadata, "application/json"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var before = await EventCountAsync();

        var problem = await (await UploadRaw(client, body, 400)).ReadAsJsonAsync<JsonElement>();

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"expected an error for {field}: {problem}");
        Assert.DoesNotContain("Exception", messages.ToString());
        Assert.Equal(before, await EventCountAsync());
        Assert.Empty(await StoredImagesAsync());
    }

    [Fact]
    public async Task An_upload_over_the_routes_limit_is_refused_before_it_is_read_and_other_routes_keep_theirs()
    {
        var client = await ConsentedClient();
        var huge = new byte[ClinicalImage.MaxBytes + 200 * 1024];
        TestImages.PlainJpeg().CopyTo(huge, 0);
        await Upload(client, Metadata(Clock.GetUtcNow()), huge, status: 413);
        // Larger than every other route takes, within the upload's: read, then refused for what it is.
        var padded = TestImages.Multipart(("metadata", null, JsonSerializer.SerializeToUtf8Bytes(Metadata(Clock.GetUtcNow()))), ("image", "image/jpeg", [.. TestImages.PlainJpeg(), .. new byte[400 * 1024]]));
        await UploadRaw(client, padded, 201);
        await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { reason = new string('x', 300 * 1024) }).ToUrl($"{Photos(client)}/{Guid.NewGuid()}/retract");
            s.StatusCodeShouldBe(413);
        });
    }

    [Fact]
    public async Task Only_practitioners_take_photos_auditors_read_them_and_another_clinic_sees_nothing()
    {
        var client = await ConsentedClient();
        var taken = await Taken(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg());
        var before = await EventCountAsync();

        await Upload(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg(300, 300), status: 403, role: Roles.Reception);
        await Upload(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg(300, 300), status: 403, role: Roles.Auditor);
        await As(Roles.Reception, s => { s.Get.Url(Photos(client)); s.StatusCodeShouldBe(403); });
        await As(Roles.Analyst, s => { s.Get.Url($"{Photos(client)}/{taken.PhotoId}/image"); s.StatusCodeShouldBe(403); });

        await Upload(client, Metadata(Clock.GetUtcNow()), TestImages.PlainJpeg(300, 300), status: 404, clinic: Tokens.OtherClinic);
        foreach (var url in new[] { Photos(client), $"{Photos(client)}/{taken.PhotoId}/image", $"{Photos(client)}/{taken.PhotoId}/image?size=thumbnail", $"{Photos(client)}/timeline?area=face&view=front" })
            await As(Roles.Practitioner, s => { s.Get.Url(url); s.StatusCodeShouldBe(404); }, Tokens.OtherClinic);
        await As(Roles.Practitioner, s => { s.Post.Json(new { reason = "probe" }).ToUrl($"{Photos(client)}/{taken.PhotoId}/retract"); s.StatusCodeShouldBe(404); }, Tokens.OtherClinic);
        // A photo id asked for under another of the clinic's clients is unknown there.
        var other = await ConsentedClient();
        await Image(other, taken.PhotoId, status: 404);

        // The other client's registration and consent, nothing else.
        Assert.Equal(before + 2, await EventCountAsync());
        Assert.Single(await StoredImagesAsync());
    }
}
