using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentBill.Analyzers.CodeFixes;

/// <summary>
/// AGB0002: turns <c>var r = await bill.ReserveAsync(...);</c> into <c>await using var r = ...;</c>, so the hold is
/// released when the method leaves without committing it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitUsingReservationCodeFixProvider)), Shared]
public sealed class AwaitUsingReservationCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "AgentBill.AwaitUsingReservation";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnsettledReservation);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(FixProperties.CanAwaitUsing)
                && root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { } statement)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Release the reservation with 'await using'",
                        cancellationToken => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(statement, AwaitUsing(statement)))),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static LocalDeclarationStatementSyntax AwaitUsing(LocalDeclarationStatementSyntax statement)
    {
        // The statement's indentation moves to the new first token.
        var leading = statement.GetLeadingTrivia();
        return statement
            .WithoutLeadingTrivia()
            .WithAwaitKeyword(Token(leading, SyntaxKind.AwaitKeyword, TriviaList(Space)))
            .WithUsingKeyword(Token(TriviaList(), SyntaxKind.UsingKeyword, TriviaList(Space)));
    }
}
