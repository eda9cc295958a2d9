using System.Collections.Frozen;
using System.Text.Json;

namespace Courses.Api.Http;

/// <summary>Collects what is wrong with a request body, per field, into one 400 problem; parses as it checks.</summary>
public sealed class InputErrors
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public const int MaxNameLength = 200;
    public const int MaxTextLength = 4000;
    public const int MaxListLength = 50;
    private const decimal MaxSaneDepthMm = 10m;
    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    // Only appointments lie ahead, and none this far: a time beyond it is a typo or a probe, never a booking.
    private static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public bool HasErrors => _errors.Count > 0;

    public InputErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    public InputErrors Required(string field, object? value)
    {
        if (value is null || value is string s && string.IsNullOrWhiteSpace(s)) Add(field, "is required.");
        return this;
    }

    public InputErrors Text(string field, string? value, int maxLength, bool required = false)
    {
        if (required) Required(field, value);
        if (value is null) return this;
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) Add(field, "must not contain control characters.");
        return this;
    }

    public string RequiredText(string field, string? value, int maxLength = MaxNameLength)
    {
        Text(field, value, maxLength, required: true);
        return value?.Trim() ?? "";
    }

    public string? OptionalText(string field, string? value, int maxLength = MaxTextLength)
    {
        Text(field, value, maxLength);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public DateTimeOffset Time(string field, DateTimeOffset? value)
    {
        Required(field, value);
        if (value < Earliest) Add(field, "must be on or after 1900-01-01.");
        if (value >= Latest) Add(field, "must be before 2100-01-01.");
        return value ?? default;
    }

    /// <summary>An optional query value as a date (yyyy-MM-dd).</summary>
    public DateOnly? Date(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date) && date.Year >= 1900) return date;
        Add(field, "must be a date as yyyy-MM-dd.");
        return null;
    }

    /// <summary>An optional query value as an ISO-8601 time with an offset.</summary>
    public DateTimeOffset? Instant(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            return JsonSerializer.Deserialize<DateTimeOffset>($"\"{value.Replace("\"", "")}\"", InstantOptions);
        }
        catch (JsonException)
        {
            Add(field, StrictTimeConverter.Expected);
            return null;
        }
    }

    private static readonly JsonSerializerOptions InstantOptions = new() { Converters = { new StrictTimeConverter() } };

    /// <summary>An optional query value as a whole number within bounds.</summary>
    public int? Number(string field, string? value, int min, int max)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= min && n <= max) return n;
        Add(field, $"must be a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>page (from 1) and pageSize query values; the deepest page keeps its row offset within what PostgreSQL accepts.</summary>
    public (int Page, int Size) Paging(string? page, string? pageSize, int defaultSize, int maxSize) =>
        (Number("page", page, 1, int.MaxValue / (maxSize + 1)) ?? 1, Number("pageSize", pageSize, 1, maxSize) ?? defaultSize);

    public bool Flag(string field, bool? value)
    {
        Required(field, value);
        return value ?? false;
    }

    public T Enum<T>(string field, string? value) where T : struct, System.Enum
    {
        if (value is null)
        {
            Required(field, value);
            return default;
        }
        if (EnumNames<T>.ByName.TryGetValue(value, out var parsed)) return parsed;
        Add(field, $"'{Shorten(value)}' is not one of: {string.Join(", ", EnumNames<T>.Names)}.");
        return default;
    }

    public IReadOnlyList<T> EnumList<T>(string field, IReadOnlyList<string?>? values, bool atLeastOne) where T : struct, System.Enum
    {
        if (values is null)
        {
            if (atLeastOne) Required(field, values);
            return [];
        }
        if (atLeastOne && values.Count == 0) Add(field, "needs at least one value.");
        if (values.Count > MaxListLength) Add(field, $"has more than {MaxListLength} values.");
        return values.Select((v, i) => Enum<T>($"{field}[{i}]", v)).Distinct().ToArray();
    }

    public IReadOnlyList<string> TextList(string field, IReadOnlyList<string?>? values)
    {
        if (values is null) return [];
        if (values.Count > MaxListLength) Add(field, $"has more than {MaxListLength} values.");
        return values.Select((v, i) => RequiredText($"{field}[{i}]", v)).ToArray();
    }

    public decimal Depth(string field, decimal? value)
    {
        Required(field, value);
        if (value is <= 0m or > MaxSaneDepthMm) Add(field, $"must be a depth in millimetres above 0 and at most {MaxSaneDepthMm}.");
        return value ?? 0m;
    }

    public IReadOnlyList<AreaDepth> Areas(string field, IReadOnlyList<AreaDepthInput?>? areas)
    {
        if (areas is null || areas.Count == 0)
        {
            Add(field, "needs at least one area.");
            return [];
        }
        if (areas.Count > MaxListLength) Add(field, $"has more than {MaxListLength} areas.");
        var parsed = new List<AreaDepth>();
        for (var i = 0; i < areas.Count; i++)
        {
            var item = areas[i];
            if (item is null)
            {
                Add($"{field}[{i}]", "is required.");
                continue;
            }
            parsed.Add(new AreaDepth(Enum<Area>($"{field}[{i}].area", item.Area), Depth($"{field}[{i}].depthMm", item.DepthMm)));
        }
        foreach (var twice in parsed.GroupBy(a => a.Area).Where(g => g.Count() > 1))
            Add(field, $"names {JsonNamingPolicy.CamelCase.ConvertName(twice.Key.ToString())} more than once.");
        return parsed;
    }

    public Serum Serum(string field, SerumInput? serum, bool lotRequired)
    {
        if (serum is null)
        {
            Required(field, serum);
            return new Serum("", null);
        }
        var product = RequiredText($"{field}.product", serum.Product);
        var lot = lotRequired ? RequiredText($"{field}.lot", serum.Lot) : OptionalText($"{field}.lot", serum.Lot, MaxNameLength);
        return new Serum(product, lot);
    }

    /// <summary>An optional product of a session with its lot: when given, it names its product.</summary>
    public ProductLot? ProductLot(string field, ProductLotInput? product) => product is null
        ? null
        : new ProductLot(RequiredText($"{field}.product", product.Product), OptionalText($"{field}.lot", product.Lot, MaxNameLength));

    /// <summary>An optional device: when given, it names its model.</summary>
    public Device? Device(string field, DeviceInput? device) => device is null
        ? null
        : new Device(RequiredText($"{field}.model", device.Model), OptionalText($"{field}.serial", device.Serial, MaxNameLength));

    /// <summary>What a Validate step returns: the value read from valid input, or nothing and the 400.</summary>
    public (T?, ProblemDetails) Checked<T>(T read) where T : class => HasErrors ? (null, ToProblem()) : (read, WolverineContinue.NoProblems);

    public ProblemDetails ToProblem() => _errors.Count == 0
        ? WolverineContinue.NoProblems
        : new ValidationProblemDetails(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = "One or more fields are missing or invalid; see errors.",
        };

    public static ProblemDetails MissingBody() => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid",
        Detail = "A JSON body is required.",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>Enumerations travel as camelCase names only: no numbers, no other spellings.</summary>
    private static class EnumNames<T> where T : struct, System.Enum
    {
        public static readonly string[] Names = System.Enum.GetValues<T>()
            .Select(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString())).ToArray();

        public static readonly FrozenDictionary<string, T> ByName = System.Enum.GetValues<T>()
            .ToFrozenDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), v => v, StringComparer.Ordinal);
    }
}

public sealed record AreaDepthInput([Mandatory, OneOf(typeof(Area))] string? Area, [Mandatory] decimal? DepthMm);

/// <summary>A numbing cream or needle cartridge; its lot is required (422 lot-required) when the protocol has requireProductLots.</summary>
public sealed record ProductLotInput([Mandatory] string? Product, string? Lot);

/// <summary>The microneedling pen: its model, and the serial number a device recall needs.</summary>
public sealed record DeviceInput([Mandatory] string? Model, string? Serial);

public sealed record SerumInput([Mandatory] string? Product, [Mandatory(When = "the clinic's protocol has requireSerumLot (sessions only)")] string? Lot);
