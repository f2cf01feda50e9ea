using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AgentBill.Analyzers.CodeFixes;

/// <summary>AGB0001 fix: gate the method that makes the call with <c>[Gate("MethodName", EstimatedUnits = 1)]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddGateCodeFixProvider)), Shared]
public sealed class AddGateCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.UngatedModelCall.Id];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var method = root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>();
        if (method is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create($"Gate '{method.Identifier.ValueText}' with [Gate]", ct => AddGateAsync(context.Document, method, ct), nameof(AddGateCodeFixProvider)),
            context.Diagnostics);
    }

    private static async Task<Document> AddGateAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var attribute = SyntaxFactory.Attribute(
            SyntaxFactory.ParseName("Gate"),
            SyntaxFactory.ParseAttributeArgumentList($"(\"{method.Identifier.ValueText}\", EstimatedUnits = 1)"));
        var gated = method.AddAttributeLists(SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var updated = root.ReplaceNode(method, gated);
        return document.WithSyntaxRoot(Usings.Ensure(updated, "AgentBill"));
    }
}
