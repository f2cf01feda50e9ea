using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentBill.Analyzers.CodeFixes;

/// <summary>AGB0001 fix: insert <c>.UseAgentBill()</c> into the ChatClientBuilder chain that built the client, before <c>.Build()</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertUseAgentBillCodeFixProvider)), Shared]
public sealed class InsertUseAgentBillCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.UngatedModelCall.Id];

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.ContainsKey(UngatedModelCallAnalyzer.BuilderChainProperty) || diagnostic.AdditionalLocations.Count == 0)
        {
            return;
        }

        var buildLocation = diagnostic.AdditionalLocations[0];
        var document = context.Document.Project.Solution.GetDocument(buildLocation.SourceTree);
        var root = document is null ? null : await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(buildLocation.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Build" } access } build)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Insert .UseAgentBill() into the client's pipeline", ct => InsertAsync(document!, build, access, ct), nameof(InsertUseAgentBillCodeFixProvider)),
            diagnostic);
    }

    private static async Task<Document> InsertAsync(Document document, InvocationExpressionSyntax build, MemberAccessExpressionSyntax access, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        // builder.Build() becomes builder.UseAgentBill().Build(): the gate joins the pipeline before it is built.
        var gated = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, access.Expression, SyntaxFactory.IdentifierName("UseAgentBill")));
        var updated = root.ReplaceNode(build, build.WithExpression(access.WithExpression(gated)));
        return document.WithSyntaxRoot(Usings.Ensure(updated, "AgentBill.Extensions.AI"));
    }
}
