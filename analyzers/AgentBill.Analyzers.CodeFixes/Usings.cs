using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentBill.Analyzers.CodeFixes;

internal static class Usings
{
    /// <summary>Adds <c>using ns;</c> to the file when it is not there yet, ending its line as the file's usings do.</summary>
    public static CompilationUnitSyntax Ensure(CompilationUnitSyntax root, string ns)
    {
        if (root.Usings.Any(u => u.Name?.ToString() == ns))
        {
            return root;
        }

        var lineEnd = root.Usings.Count > 0 ? root.Usings[root.Usings.Count - 1].GetTrailingTrivia() : SyntaxFactory.TriviaList(SyntaxFactory.ElasticLineFeed);
        return root.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).WithTrailingTrivia(lineEnd));
    }
}
