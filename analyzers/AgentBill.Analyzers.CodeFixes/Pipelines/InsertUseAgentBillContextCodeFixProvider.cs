using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentBill.Analyzers.CodeFixes;

/// <summary>
/// AGB0004, a gated tool loop without the context capture: inserts <c>.UseAgentBillContext()</c> as the first step of
/// the chain, where the builder is made, so it is the outermost middleware. Offered only where the extension is in
/// scope (the gate's <c>UseAgentBill()</c> beside it usually imports it).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertUseAgentBillContextCodeFixProvider)), Shared]
public sealed class InsertUseAgentBillContextCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "AgentBill.InsertUseAgentBillContext";

    private const string UseAgentBillContext = "UseAgentBillContext";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.GateOutsideToolLoop);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(FixProperties.FirstStep)
                || diagnostic.AdditionalLocations.Count == 0
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true)
                    .FirstAncestorOrSelf<MemberAccessExpressionSyntax>() is not { } firstStep)
            {
                continue;
            }

            var builderType = model.GetTypeInfo(firstStep.Expression, context.CancellationToken).Type;
            if (builderType is null
                || !model.LookupSymbols(firstStep.Expression.SpanStart, builderType, UseAgentBillContext, includeReducedExtensionMethods: true).Any())
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Insert .UseAgentBillContext() first in the pipeline",
                    cancellationToken => InsertAsync(context.Document, firstStep, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> InsertAsync(Document document, MemberAccessExpressionSyntax firstStep, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);

        // X.First() -> X.UseAgentBillContext().First(), keeping a multi-line chain one call per line.
        var receiver = firstStep.Expression;
        var capture = InvocationExpression(
                MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    receiver,
                    Token(SyntaxKind.DotToken).WithLeadingTrivia(firstStep.OperatorToken.LeadingTrivia),
                    IdentifierName(UseAgentBillContext)),
                ArgumentList())
            .WithTrailingTrivia(receiver.GetTrailingTrivia());
        editor.ReplaceNode(firstStep, firstStep.WithExpression(capture));
        return editor.GetChangedDocument();
    }
}
