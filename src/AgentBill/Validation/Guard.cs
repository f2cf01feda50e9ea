using System.Runtime.CompilerServices;

namespace AgentBill.Validation;

/// <summary>
/// Argument checks shared by every entry point. Bad input is refused here, before any store is touched,
/// so a refused call never charges anything.
/// </summary>
internal static class Guard
{
    /// <summary>The longest id accepted, in UTF-16 characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The largest amount one call may carry. It keeps every sum a ledger computes exact in 64-bit integers
    /// and in the 53-bit integers of a Lua number.
    /// </summary>
    public const long MaxUnits = 1_000_000_000_000_000;

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

        if (value.Length > MaxIdLength)
        {
            throw new ArgumentException($"'{paramName}' is {value.Length} characters long; at most {MaxIdLength} are allowed.", paramName);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"'{paramName}' contains the control character U+{(int)c:X4}.", paramName);
            }
        }

        return value;
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

    public static TimeSpan Positive(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be positive.");
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
