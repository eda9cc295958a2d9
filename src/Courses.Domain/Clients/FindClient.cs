using System.Globalization;

namespace Courses.Domain.Clients;

/// <summary>What the front desk typed to find a client, read as the one thing it can be.</summary>
public abstract record ClientQuery
{
    public const int MinLength = 2;
    public const int MaxLength = 100;

    /// <summary>Part of a name, perhaps misspelt: every word typed must be like some word of the name; best first.</summary>
    public sealed record ByName(string Text) : ClientQuery
    {
        public const int MaxWords = 4;

        /// <summary>The words to match: the longest <see cref="MaxWords"/> when more were typed, since they say the most.</summary>
        public IReadOnlyList<string> Words => [.. Text.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries)
            .Select((word, i) => (word, i)).OrderByDescending(w => w.word.Length).Take(MaxWords).OrderBy(w => w.i).Select(w => w.word)];

        /// <summary>
        /// How alike (pg_trgm's word similarity, 0–1) each word must be to a word of the name: one wrong letter in a word
        /// of five ("Smyth" for Smith) scores 0.33, a swapped pair in a word of four ("Jonh") 0.4. Lower lets in every name
        /// that shares a syllable, and ranking all of them is what a search costs.
        /// </summary>
        public const double Threshold = 0.3;

        private static readonly char[] WordBreaks = [' ', '\t', ',', '-', '.', '\''];
    }

    /// <summary>A phone number in any of its written forms, as its digits.</summary>
    public sealed record ByPhone(string Digits) : ClientQuery;

    /// <summary>An email address, exactly but for case.</summary>
    public sealed record ByEmail(string Address) : ClientQuery;

    public sealed record ByDateOfBirth(DateOnly Date) : ClientQuery;

    /// <summary>A date (yyyy-MM-dd), an email (has an @), a phone (only digits and the marks people write them with), else a name.</summary>
    public static ClientQuery Read(string q)
    {
        var text = q.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new ByDateOfBirth(date);
        if (text.Contains('@')) return new ByEmail(Email(text)!);
        if (text.Any(char.IsAsciiDigit) && text.All(c => char.IsAsciiDigit(c) || PhoneMarks.Contains(c)))
            return new ByPhone(PhoneDigits(text)!);
        return new ByName(text);
    }

    private const string PhoneMarks = " -()+.";

    /// <summary>
    /// The digits of a phone number: spaces, dashes, dots and brackets dropped, and the international prefix (a leading
    /// + or 00) too, so "+44 20 7946 0000" and "0044 20-7946-0000" are the same number.
    /// </summary>
    public static string? PhoneDigits(string? phone)
    {
        if (phone is null) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (phone.TrimStart().StartsWith("00", StringComparison.Ordinal)) digits = digits[2..];
        return digits.Length == 0 ? null : digits;
    }

    public static string? Email(string? email) => email?.Trim().ToLowerInvariant();
}
