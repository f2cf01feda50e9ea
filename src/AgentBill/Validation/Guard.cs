using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace AgentBill.Validation;

/// <summary>
/// Argument checks shared by every entry point. Bad input is refused here, before any store is touched,
/// so a refused call never charges anything.
/// </summary>
/// <remarks>
/// The rule for every public entry point of the core: a value of the domain (an id, an amount of units, a lifetime or
/// wait, an enum value, a budget scope, a page size) is checked with a method of this class, which returns the value
/// in its one accepted form and names the argument in the exception; <c>ArgumentNullException.ThrowIfNull</c> is used
/// only for a required reference that is not such a value (a request, a budget, a service collection, a delegate).
/// No entry point writes a domain check of its own with <c>ArgumentOutOfRangeException.ThrowIf…</c>.
/// </remarks>
internal static class Guard
{
    /// <summary>The longest id accepted, in UTF-16 characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The largest amount one call may carry. It keeps every sum a ledger computes exact in 64-bit integers
    /// and in the 53-bit integers of a Lua number.
    /// </summary>
    public const long MaxUnits = 1_000_000_000_000_000;

    /// <summary>
    /// Checks an id and returns it in its one stored form: Unicode normalization form C, so "Café" typed composed or
    /// decomposed is one customer in every store. Refused: null, empty or blank; longer than <see cref="MaxIdLength"/>;
    /// control characters; format characters (U+200B zero-width space, U+202E right-to-left override, ...) and line
    /// or paragraph separators, which would make ids that look alike or break log lines. Everything else is allowed.
    /// </summary>
    public static string Id(string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"'{paramName}' is required.");
        }

        if (value.Length == 0)
        {
            throw new ArgumentException($"'{paramName}' must not be empty.", paramName);
        }

        // Most ids are plain ASCII: one pass decides them, and they are already in form C.
        var ascii = true;
        var blank = true;
        foreach (var c in value)
        {
            if (c >= 0x80)
            {
                ascii = false;
            }
            else if (char.IsControl(c))
            {
                throw new ArgumentException($"'{paramName}' contains the control character U+{(int)c:X4}.", paramName);
            }

            blank &= char.IsWhiteSpace(c);
        }

        if (blank)
        {
            throw new ArgumentException($"'{paramName}' must not be blank.", paramName);
        }

        var id = ascii ? value : Unicode(value, paramName);
        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException($"'{paramName}' is {id.Length} characters long; at most {MaxIdLength} are allowed.", paramName);
        }

        return id;
    }

    /// <summary>The rules for an id with characters beyond ASCII: no format or separator characters, then form C.</summary>
    private static string Unicode(string value, string? paramName)
    {
        foreach (var c in value)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                throw new ArgumentException($"'{paramName}' contains U+{(int)c:X4}, a {category} character, which ids must not contain.", paramName);
            }
        }

        try
        {
            return value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Not well-formed UTF-16 (an unpaired surrogate): no normal form exists, and the id is kept exactly as given.
            return value;
        }
    }

    public static string? OptionalId(string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        => value is null ? null : Id(value, paramName);

    public static long Units(long value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must not be negative.");
        }

        if (value > MaxUnits)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must not exceed {MaxUnits}.");
        }

        return value;
    }

    public static long? OptionalUnits(long? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        => value is { } units ? Units(units, paramName) : null;

    /// <summary>The longest a hold may live or an answer be remembered: a year and a day, well inside what every store's clock arithmetic represents.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>The longest the client waits for one store call, and between two tries of a record.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>A lifetime (of a hold, or of remembered answers): positive and at most <see cref="MaxLifetime"/>.</summary>
    public static TimeSpan Lifetime(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= TimeSpan.Zero || value > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be positive and at most {MaxLifetime.TotalDays:0} days.");
        }

        return value;
    }

    /// <summary>A page size of a listing: from 1 to <see cref="Ledger.OpenHoldPage.MaxLimit"/>.</summary>
    public static int PageLimit(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value is < 1 or > Ledger.OpenHoldPage.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be from 1 to {Ledger.OpenHoldPage.MaxLimit}.");
        }

        return value;
    }

    public static TEnum Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' is not a defined {typeof(TEnum).Name}.");
        }

        return value;
    }

    public static void DefinedScope(BudgetScope scope, [CallerArgumentExpression(nameof(scope))] string? paramName = null)
    {
        // default(BudgetScope) reads as a customer scope with no customer: only the factories make valid scopes.
        if (scope.Kind != BudgetScopeKind.Global && scope.CustomerId is null)
        {
            throw new ArgumentException($"'{paramName}' must be created with BudgetScope.Customer, Agent, Task or Global.", paramName);
        }
    }
}
