using System.CommandLine;

namespace AgentBill.Cli.Stores;

/// <summary>The store options every command takes, and the choice they make (an option wins over its environment variable).</summary>
internal sealed class StoreChoice
{
    private readonly IReadOnlyList<(LedgerStore Store, Option<string> Option)> _options;

    public StoreChoice(IReadOnlyList<LedgerStore> stores)
    {
        _options = [.. stores.Select(store => (store, new Option<string>(store.Option)
        {
            Description = store.Description,
            HelpName = store.ValueName,
            Recursive = true,
        }))];
    }

    /// <summary>The options to add to the root command.</summary>
    public IEnumerable<Option> Options => _options.Select(pair => (Option)pair.Option);

    /// <summary>One line telling how to choose a store.</summary>
    public string HowToChoose
        => "No store chosen: pass " + string.Join(" or ", _options.Select(pair => $"{pair.Store.Option} <{pair.Store.ValueName}>"))
           + " (or set " + string.Join(" or ", _options.Select(pair => pair.Store.EnvironmentVariable)) + ").";

    /// <summary>The store and its value, or an error line: none chosen, or more than one.</summary>
    public (LedgerStore? Store, string? Value, string? Error) Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var named = _options.Where(pair => parse.GetResult(pair.Option) is not null).ToList();
        if (named.Count == 0)
        {
            named = [.. _options.Where(pair => !string.IsNullOrWhiteSpace(environment(pair.Store.EnvironmentVariable)))];
            if (named.Count > 1)
            {
                return (null, null, "More than one store is set in the environment (" + string.Join(", ", named.Select(pair => pair.Store.EnvironmentVariable)) + "): pass one store option to choose.");
            }

            return named.Count == 0 ? (null, null, HowToChoose) : (named[0].Store, environment(named[0].Store.EnvironmentVariable), null);
        }

        if (named.Count > 1)
        {
            return (null, null, "Choose one store: " + string.Join(" and ", named.Select(pair => pair.Store.Option)) + " were both given.");
        }

        var value = parse.GetValue(named[0].Option);
        return string.IsNullOrWhiteSpace(value)
            ? (null, null, $"{named[0].Store.Option} needs a value: <{named[0].Store.ValueName}>.")
            : (named[0].Store, value, null);
    }
}
