using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBill.Analyzers;

/// <summary>
/// The extra APIs declared with <c>agentbill.llm_apis</c> in .editorconfig, per syntax tree (an .editorconfig
/// section can differ by folder). Each distinct value is parsed and resolved once per compilation.
/// </summary>
internal sealed class ConfiguredLlmApis
{
    public const string OptionName = "agentbill.llm_apis";

    private readonly Dictionary<SyntaxTree, ImmutableArray<LlmApi>> _byTree;

    private ConfiguredLlmApis(Dictionary<SyntaxTree, ImmutableArray<LlmApi>> byTree, ImmutableArray<string> unresolved)
    {
        _byTree = byTree;
        Unresolved = unresolved;
    }

    /// <summary>Gets the entries that matched no symbol, for AGB0005.</summary>
    public ImmutableArray<string> Unresolved { get; }

    public static ConfiguredLlmApis Read(Compilation compilation, AnalyzerOptions options)
    {
        var byValue = new Dictionary<string, ImmutableArray<LlmApi>>(StringComparer.Ordinal);
        var byTree = new Dictionary<SyntaxTree, ImmutableArray<LlmApi>>();
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(OptionName, out var value)
                || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!byValue.TryGetValue(value, out var apis))
            {
                apis = Parse(compilation, value, unresolved);
                byValue.Add(value, apis);
            }

            byTree.Add(tree, apis);
        }

        return new ConfiguredLlmApis(byTree, unresolved.ToImmutableArray());
    }

    public ImmutableArray<LlmApi> For(SyntaxTree tree)
        => _byTree.TryGetValue(tree, out var apis) ? apis : ImmutableArray<LlmApi>.Empty;

    public bool IsEmpty => _byTree.Count == 0;

    private static ImmutableArray<LlmApi> Parse(Compilation compilation, string value, SortedSet<string> unresolved)
    {
        var apis = ImmutableArray.CreateBuilder<LlmApi>();
        foreach (var entry in SplitEntries(value))
        {
            if (Resolve(compilation, entry) is { } api)
            {
                apis.Add(api);
            }
            else
            {
                unresolved.Add(entry);
            }
        }

        return apis.ToImmutable();
    }

    // Entries are separated by commas (';' and '#' start a comment in .editorconfig); commas inside a
    // documentation id's parameter list belong to the entry.
    private static IEnumerable<string> SplitEntries(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : ',';
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth <= 0)
            {
                var entry = value.Substring(start, i - start).Trim();
                if (entry.Length > 0)
                {
                    yield return entry;
                }

                start = i + 1;
                depth = 0;
            }
        }
    }

    // T:Namespace.Type (every method), M:Namespace.Type.Method (every overload), or a full documentation id with parameters.
    private static LlmApi? Resolve(Compilation compilation, string entry)
    {
        if (entry.StartsWith("T:", StringComparison.Ordinal))
        {
            return compilation.GetTypeByMetadataName(entry.Substring(2)) is { } type
                ? LlmApi.ForType(type, names: null, includeExtensions: false)
                : null;
        }

        if (!entry.StartsWith("M:", StringComparison.Ordinal))
        {
            return null;
        }

        if (entry.IndexOf('(') >= 0)
        {
            var methods = DocumentationCommentId.GetSymbolsForDeclarationId(entry, compilation).OfType<IMethodSymbol>().ToImmutableArray();
            return methods.IsEmpty ? null : LlmApi.ForMethods(methods);
        }

        var name = entry.Substring(2);
        var dot = name.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var methodName = name.Substring(dot + 1);
        var owner = compilation.GetTypeByMetadataName(name.Substring(0, dot));
        return owner is not null && owner.GetMembers(methodName).OfType<IMethodSymbol>().Any()
            ? LlmApi.ForType(owner, n => n == methodName, includeExtensions: false)
            : null;
    }
}
