using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentBill.Analyzers.CodeFixes;

/// <summary>Adds a <c>using</c> for a namespace at its sorted place (System first), in the file's own line endings.</summary>
internal static class UsingDirectives
{
    public static CompilationUnitSyntax Add(CompilationUnitSyntax unit, string namespaceName)
    {
        var usings = unit.Usings;
        if (usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == namespaceName))
        {
            return unit;
        }

        var endOfLine = usings.Count > 0
            ? usings.Last().GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia))
            : default;
        if (endOfLine.IsKind(SyntaxKind.None))
        {
            endOfLine = EndOfLine(unit.ToFullString().Contains("\r\n") ? "\r\n" : "\n");
        }

        var directive = UsingDirective(ParseName(namespaceName)).WithTrailingTrivia(endOfLine);
        var index = 0;
        while (index < usings.Count && Compare(usings[index], namespaceName) < 0)
        {
            index++;
        }

        if (usings.Count == 0)
        {
            // A file without usings gets the directive and a blank line before its first member.
            return unit.WithUsings(usings.Add(directive.WithTrailingTrivia(endOfLine, endOfLine)));
        }

        if (index == 0)
        {
            // Keep a file header comment at the top of the file.
            directive = directive.WithLeadingTrivia(usings[0].GetLeadingTrivia());
            usings = usings.Replace(usings[0], usings[0].WithLeadingTrivia());
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    private static int Compare(UsingDirectiveSyntax existing, string namespaceName)
    {
        if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None) || !existing.GlobalKeyword.IsKind(SyntaxKind.None))
        {
            // Global, static and alias directives stay where they are; a plain using goes before them.
            return existing.GlobalKeyword.IsKind(SyntaxKind.None) ? 1 : -1;
        }

        var name = existing.Name?.ToString() ?? string.Empty;
        var existingIsSystem = IsSystem(name);
        var newIsSystem = IsSystem(namespaceName);
        if (existingIsSystem != newIsSystem)
        {
            return existingIsSystem ? -1 : 1;
        }

        return string.Compare(name, namespaceName, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsSystem(string name) => name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
}
