using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentBill.Generators.Parsing;

/// <summary>
/// The simple names of the methods that may carry <c>[Gate]</c> in a compilation or its references. The call-site
/// parsers ask the semantic model only about invocations and method groups with one of these names, so a project
/// without gates binds nothing and one with a few binds a few calls (the NetEscapades.EnumGenerators habit of a
/// name test before binding, with names that come from the compilation instead of a constant).
/// </summary>
/// <remarks>
/// The set over-approximates and never misses: a source method counts when one of its attributes is spelled like
/// the gate (<c>Gate</c>, <c>GateAttribute</c>, qualified or not, or an alias of either), and a referenced assembly
/// counts only when it references AgentBill. Binding then decides. Results are kept per syntax tree, per referenced
/// assembly and per compilation, weakly, so an edit rescans only the edited file: each is a pure function of its key.
/// </remarks>
internal static class GatedNames
{
    private const string AgentBillAssembly = "AgentBill";
    private static readonly string[] GateSpellings = ["Gate", "GateAttribute"];

    private static readonly ConditionalWeakTable<Compilation, HashSet<string>> ByCompilation = new();
    private static readonly ConditionalWeakTable<SyntaxTree, TreeNames> ByTree = new();
    private static readonly ConditionalWeakTable<IAssemblySymbol, string[]> ByAssembly = new();

    /// <summary>Whether a method of this name may be gated in the compilation.</summary>
    public static bool MayBeGated(Compilation compilation, string name)
    {
        var names = ByCompilation.GetValue(compilation, static c => Collect(c));
        return names.Count > 0 && names.Contains(name);
    }

    private static HashSet<string> Collect(Compilation compilation)
    {
        var trees = compilation.SyntaxTrees.Select(static tree => ByTree.GetValue(tree, static t => TreeNames.Read(t))).ToList();
        var spellings = new HashSet<string>(GateSpellings, StringComparer.Ordinal);
        foreach (var (alias, target) in trees.SelectMany(static t => t.Aliases))
        {
            if (GateSpellings.Contains(target))
            {
                spellings.Add(alias);
                if (alias.EndsWith("Attribute", StringComparison.Ordinal))
                {
                    // [G] also finds an alias named GAttribute.
                    spellings.Add(alias.Substring(0, alias.Length - "Attribute".Length));
                }
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (attribute, method) in trees.SelectMany(static t => t.AttributedMethods))
        {
            if (spellings.Contains(attribute))
            {
                names.Add(method);
            }
        }

        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (assembly.Modules.Any(static m => m.ReferencedAssemblies.Any(static r => r.Name == AgentBillAssembly)))
            {
                names.UnionWith(ByAssembly.GetValue(assembly, static a => ReadAssembly(a)));
            }
        }

        return names;
    }

    /// <summary>The names of the gated methods a referenced assembly declares.</summary>
    private static string[] ReadAssembly(IAssemblySymbol assembly)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var types = new Stack<INamespaceOrTypeSymbol>();
        types.Push(assembly.GlobalNamespace);
        while (types.Count > 0)
        {
            foreach (var member in types.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol container:
                        types.Push(container);
                        break;
                    case IMethodSymbol method when GateRules.FindGate(method) is not null:
                        names.Add(method.Name);
                        break;
                }
            }
        }

        return [.. names];
    }

    /// <summary>One file's attributed method declarations and using aliases, read from syntax outside method bodies.</summary>
    private sealed class TreeNames
    {
        private TreeNames(List<(string Attribute, string Method)> attributedMethods, List<(string Alias, string Target)> aliases)
        {
            AttributedMethods = attributedMethods;
            Aliases = aliases;
        }

        public List<(string Attribute, string Method)> AttributedMethods { get; }

        public List<(string Alias, string Target)> Aliases { get; }

        public static TreeNames Read(SyntaxTree tree)
        {
            var methods = new List<(string, string)>();
            var aliases = new List<(string, string)>();
            // Declarations only: namespaces and types are entered, member bodies never are.
            foreach (var node in tree.GetRoot().DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                switch (node)
                {
                    case MethodDeclarationSyntax method when method.AttributeLists.Count > 0:
                        foreach (var attribute in method.AttributeLists.SelectMany(static list => list.Attributes))
                        {
                            methods.Add((RightmostName(attribute.Name), method.Identifier.ValueText));
                        }

                        break;
                    case UsingDirectiveSyntax { Alias: { } alias, NamespaceOrType: NameSyntax target }:
                        aliases.Add((alias.Name.Identifier.ValueText, RightmostName(target)));
                        break;
                }
            }

            return new TreeNames(methods, aliases);
        }

        private static string RightmostName(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
    }
}
