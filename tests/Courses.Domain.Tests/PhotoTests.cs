using Courses.Domain.Assessments;
using Courses.Domain.Photos;
using Courses.Domain.Protocol;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class PhotoTests
{
    private static readonly StoredImage Image = new(new string('a', 64), "image/jpeg", 640, 480, 12345, 6);

    private static TakePhoto Photo(DateTimeOffset at, AssessmentKind kind = AssessmentKind.Baseline, Guid? sessionId = null, Area area = Area.Face,
        PhotoView view = PhotoView.Front) =>
        new(Guid.NewGuid(), at, area, view, kind, sessionId, PhotoLighting.Standard, null, By);

    private static Decision Take(Scenario s, TakePhoto photo, DateTimeOffset? now = null) =>
        TakePhotoDecision.Taken(s.Record, photo, Image, s.Protocol, now ?? photo.TakenAt.AddMinutes(1));

    private static Scenario PhotoConsented(Scenario s, DateTimeOffset at, params PhotoUse[] uses) =>
        s.Given(RecordPhotoConsentDecision.Decide(s.Record, new RecordPhotoConsent(at, "photo-v1", uses, By), s.Protocol, at));

    private static Scenario PhotoConsentWithdrawn(Scenario s, DateTimeOffset at, params PhotoUse[] uses) =>
        s.Given(WithdrawPhotoConsentDecision.Decide(s.Record, new WithdrawPhotoConsent(at, uses, By), s.Protocol, at));

    [Fact]
    public void A_photo_needs_a_clinical_record_consent_signed_before_it_and_not_withdrawn_since()
    {
        var s = Registered();
        Assert.Equal(RuleCodes.PhotoConsentRequired, Take(s, Photo(Day0)).Violation?.Code);

        PhotoConsented(s, Day0.AddHours(1), PhotoUse.Education, PhotoUse.Marketing);
        Assert.Equal(RuleCodes.PhotoConsentRequired, Take(s, Photo(Day0.AddHours(2))).Violation?.Code);

        PhotoConsented(s, Day0.AddHours(3), PhotoUse.ClinicalRecord);
        Assert.Equal(RuleCodes.PhotoConsentRequired, Take(s, Photo(Day0.AddHours(2))).Violation?.Code);
        var taken = Assert.IsType<PhotoTaken>(Assert.Single(Take(s, Photo(Day0.AddHours(4))).Events));
        Assert.Equal((Image.Sha256, 640, 480, 6), (taken.Sha256, taken.Width, taken.Height, taken.Orientation));

        PhotoConsentWithdrawn(s, Day0.AddHours(5), PhotoUse.ClinicalRecord);
        Assert.True(Take(s, Photo(Day0.AddHours(4).AddMinutes(30))).IsAccepted);
        Assert.Equal(RuleCodes.PhotoConsentRequired, Take(s, Photo(Day0.AddHours(6))).Violation?.Code);
        // Withdrawing clinical use leaves the others in force.
        Assert.Equal([PhotoUse.Education, PhotoUse.Marketing], PhotoConsents.UsesInForce(s.Record.PhotoConsents, s.Record.PhotoConsentWithdrawals, Day0.AddHours(6)));

        PhotoConsented(s, Day0.AddHours(7), PhotoUse.ClinicalRecord);
        Assert.True(Take(s, Photo(Day0.AddHours(8))).IsAccepted);
    }

    [Fact]
    public void Withdrawing_a_use_not_in_force_is_refused()
    {
        var s = Registered();
        PhotoConsented(s, Day0, PhotoUse.ClinicalRecord);
        var refused = WithdrawPhotoConsentDecision.Decide(s.Record, new WithdrawPhotoConsent(Day0.AddHours(1), [PhotoUse.Marketing], By), s.Protocol, Day0.AddHours(1));
        Assert.Equal(RuleCodes.NoConsentInForce, refused.Violation?.Code);
        Assert.Contains("marketing", refused.Violation!.Detail);
    }

    [Fact]
    public void A_photo_names_a_session_the_record_holds_a_healing_check_names_one_and_none_is_dated_in_the_future()
    {
        var s = WithCourse(out var course);
        PhotoConsented(s, Day0.AddDays(-1), PhotoUse.ClinicalRecord);
        Assert.Equal(RuleCodes.UnknownSession, Take(s, Photo(Day0, sessionId: Guid.NewGuid())).Violation?.Code);
        Assert.Equal(RuleCodes.UnknownSession, Take(s, Photo(Day0, AssessmentKind.HealingCheck)).Violation?.Code);
        Assert.Equal(RuleCodes.FutureTime, Take(s, Photo(Day0.AddHours(1)), now: Day0).Violation?.Code);
        s.Consented(Day0.AddDays(-1));
        var session = s.Session(course, Day0, Face(0.5m));
        Assert.True(Take(s, Photo(Day0.AddDays(2), AssessmentKind.HealingCheck, session)).IsAccepted);
    }

    [Fact]
    public void A_photo_is_retracted_once_and_the_retraction_keeps_its_hash()
    {
        var s = Registered();
        PhotoConsented(s, Day0, PhotoUse.ClinicalRecord);
        var photo = Photo(Day0.AddHours(1));
        s.Given(Take(s, photo));

        Assert.Equal(RuleCodes.NotFound, RetractPhotoDecision.Decide(s.Record, new RetractPhoto(Guid.NewGuid(), "wrong", By), Day0.AddHours(2)).Violation?.Code);
        var retracted = s.Given(RetractPhotoDecision.Decide(s.Record, new RetractPhoto(photo.PhotoId, " wrong client ", By), Day0.AddHours(2)));
        Assert.Equal(new PhotoRetracted(s.Record.Id, photo.PhotoId, Day0.AddHours(2), "wrong client", Image.Sha256, By), s.History[^1]);
        Assert.True(retracted.Record.Photos[photo.PhotoId].IsRetracted);
        Assert.Equal(RuleCodes.PhotoRetracted, RetractPhotoDecision.Decide(s.Record, new RetractPhoto(photo.PhotoId, "again", By), Day0.AddHours(3)).Violation?.Code);
    }

    [Fact]
    public void The_timeline_pairs_each_photo_with_the_session_before_it_on_that_area_and_that_days_scores()
    {
        var s = WithCourse(out var course, 3, Start(Area.Face, 0.5m), Start(Area.Neck, 0.5m));
        s.Consented(Day0.AddDays(-1));
        PhotoConsented(s, Day0.AddDays(-1), PhotoUse.ClinicalRecord);
        var before = Photo(Day0.AddHours(-1));
        s.Given(Take(s, before));
        s.Assessed(Baseline(Day0.AddMinutes(-30), Score("fineLines", 3, Area.Face), Score("poreSize", 2, Area.Neck), Score("mMasi", 4)));
        var first = s.Session(course, Day0, Face(0.5m), new AreaDepth(Area.Neck, 0.5m));
        var second = s.Session(course, Day0.AddDays(28), Face(1.0m), new AreaDepth(Area.Neck, 0.5m));
        var after = Photo(Day0.AddDays(29), AssessmentKind.Progress);
        s.Given(Take(s, after));
        var side = Photo(Day0.AddDays(29), AssessmentKind.Progress, view: PhotoView.Left45);
        s.Given(Take(s, side));
        var retracted = Photo(Day0.AddDays(30), AssessmentKind.Progress);
        s.Given(Take(s, retracted));
        s.Given(RetractPhotoDecision.Decide(s.Record, new RetractPhoto(retracted.PhotoId, "blurred", By), Day0.AddDays(30)));

        var timeline = PhotoTimeline.Of(s.Record, Area.Face, PhotoView.Front, s.Protocol.DayOf);

        Assert.Equal(
        [
            new TimelinePhoto(before.PhotoId, Day0.AddHours(-1), AssessmentKind.Baseline, null, null, null, null,
                [Score("fineLines", 3, Area.Face), Score("mMasi", 4)]),
            new TimelinePhoto(after.PhotoId, Day0.AddDays(29), AssessmentKind.Progress, second, 2, 1.0m, SerumA, []),
        ], timeline, new TimelineComparer());
        Assert.NotEqual(first, second);
    }

    private static RecordSkinAssessment Baseline(DateTimeOffset at, params SkinScore[] scores) =>
        Assessment(AssessmentKind.Baseline, at, null, null, scores);

    /// <summary>Records compare their lists by reference: the scores are compared item by item.</summary>
    private sealed class TimelineComparer : IEqualityComparer<TimelinePhoto>
    {
        public bool Equals(TimelinePhoto? x, TimelinePhoto? y) =>
            x is not null && y is not null && x with { Scores = [] } == y with { Scores = [] } && x.Scores.SequenceEqual(y.Scores);

        public int GetHashCode(TimelinePhoto obj) => obj.PhotoId.GetHashCode();
    }
}
