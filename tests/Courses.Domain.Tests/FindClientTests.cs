using Courses.Domain.Clients;

namespace Courses.Domain.Tests;

public class FindClientTests
{
    [Theory]
    [InlineData("+44 20 7946 0000", "442079460000")]
    [InlineData("0044 20 7946 0000", "442079460000")]
    [InlineData("0044-20-7946-0000", "442079460000")]
    [InlineData("(020) 7946-0000", "02079460000")]
    [InlineData("020.7946.0000", "02079460000")]
    public void A_phone_number_is_its_digits_without_the_international_prefix(string written, string digits) =>
        Assert.Equal(new ClientQuery.ByPhone(digits), ClientQuery.Read(written));

    [Fact]
    public void Phone_digits_of_nothing_are_nothing()
    {
        Assert.Null(ClientQuery.PhoneDigits(null));
        Assert.Null(ClientQuery.PhoneDigits("+ ()"));
    }

    [Fact]
    public void A_date_finds_by_date_of_birth() =>
        Assert.Equal(new ClientQuery.ByDateOfBirth(new DateOnly(1985, 3, 12)), ClientQuery.Read("1985-03-12"));

    [Fact]
    public void An_address_with_an_at_finds_by_email_whatever_its_case() =>
        Assert.Equal(new ClientQuery.ByEmail("ann.lee@example.com"), ClientQuery.Read(" Ann.Lee@Example.COM "));

    [Theory]
    [InlineData("Jonh Smyth")]
    [InlineData("Zoë")]
    [InlineData("Flat 2")]
    public void Anything_else_is_part_of_a_name(string q) =>
        Assert.Equal(new ClientQuery.ByName(q), ClientQuery.Read(q));

    [Theory]
    [InlineData("Smith, John", new[] { "Smith", "John" })]
    [InlineData("  Anne-Marie   O'Neil ", new[] { "Anne", "Marie", "O", "Neil" })]
    // Six words: the four longest are kept, in the order typed.
    [InlineData("Ana Maria da Silva Santos Lopes", new[] { "Maria", "Silva", "Santos", "Lopes" })]
    [InlineData("-- ,", new string[0])]
    public void A_name_is_matched_word_by_word_keeping_the_longest_words_in_their_order(string q, string[] words) =>
        Assert.Equal(words, new ClientQuery.ByName(q).Words);
}
