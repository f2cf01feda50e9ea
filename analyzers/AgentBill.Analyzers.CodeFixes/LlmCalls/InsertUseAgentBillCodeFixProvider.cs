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
/// AGB0001: inserts <c>.UseAgentBill()</c> just before the <c>Build()</c> of the builder chain the client comes
/// from. Last in the chain is innermost in the pipeline: inside <c>UseFunctionInvocation()</c> (every round-trip
/// of a tool loop is gated) and inside caching (a cached answer costs nothing). Offered only when a
/// <c>UseAgentBill</c> extension for that builder exists in the compilation.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertUseAgentBillCodeFixProvider)), Shared]
public sealed class InsertUseAgentBillCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "AgentBill.InsertUseAgentBill";

    private const string UseAgentBill = "UseAgentBill";

    // Where the middleware's package declares the extension, when it is not imported yet.
    private static readonly string[] KnownExtensionTypes =
    {
        "AgentBill.Extensions.AI.AgentBillChatClientBuilderExtensions",
        "AgentBill.Extensions.AI.AgentBillEmbeddingGeneratorBuilderExtensions",
        "Microsoft.Extensions.AI.AgentBillChatClientBuilderExtensions",
    };

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UngatedLlmCall, AgentDiagnostics.UngatedAgentChatClientId, AgentDiagnostics.UngatedAgentToolLoopId);

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
            if (!diagnostic.Properties.ContainsKey(FixProperties.BuildCall)
                || diagnostic.AdditionalLocations.Count == 0
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true)
                    .FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Expression: MemberAccessExpressionSyntax build } buildCall)
            {
                continue;
            }

            var builderType = model.GetTypeInfo(build.Expression, context.CancellationToken).Type;
            var inScope = builderType is not null
                          && model.LookupSymbols(build.Expression.SpanStart, builderType, UseAgentBill, includeReducedExtensionMethods: true).Any();
            var importNamespace = inScope ? null : FindImportableExtension(model.Compilation, builderType);
            if (!inScope && importNamespace is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Insert .UseAgentBill() before Build()",
                    cancellationToken => InsertAsync(context.Document, buildCall, build, importNamespace, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    // The namespace of a UseAgentBill extension that applies to the builder but is not imported yet.
    private static string? FindImportableExtension(Compilation compilation, ITypeSymbol? builderType)
    {
        if (builderType is null)
        {
            return null;
        }

        foreach (var typeName in KnownExtensionTypes)
        {
            var extensions = compilation.GetTypeByMetadataName(typeName);
            if (extensions is not null
                && extensions.GetMembers(UseAgentBill).OfType<IMethodSymbol>().Any(m => m.ReduceExtensionMethod(builderType) is not null))
            {
                return extensions.ContainingNamespace.ToDisplayString();
            }
        }

        return null;
    }

    private static async Task<Document> InsertAsync(
        Document document, InvocationExpressionSyntax buildCall, MemberAccessExpressionSyntax build, string? importNamespace, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);

        // X.Build() -> X.UseAgentBill().Build(), keeping a multi-line chain one call per line.
        var receiver = build.Expression;
        var useAgentBill = InvocationExpression(
                MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    receiver,
                    Token(SyntaxKind.DotToken).WithLeadingTrivia(build.OperatorToken.LeadingTrivia),
                    IdentifierName(UseAgentBill)),
                ArgumentList())
            .WithTrailingTrivia(receiver.GetTrailingTrivia());
        editor.ReplaceNode(buildCall, buildCall.WithExpression(build.WithExpression(useAgentBill)));
        if (importNamespace is not null && editor.OriginalRoot is CompilationUnitSyntax unit)
        {
            editor.ReplaceNode(unit, (current, _) => UsingDirectives.Add((CompilationUnitSyntax)current, importNamespace));
        }

        return editor.GetChangedDocument();
    }
}
