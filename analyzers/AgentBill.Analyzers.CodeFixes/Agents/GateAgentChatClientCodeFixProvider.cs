using System.Collections.Immutable;
using System.Composition;
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
/// AGB0006: gates a chat client that is not a builder chain where the agent takes it: <c>client</c> becomes
/// <c>client.AsBuilder().UseAgentBill().Build()</c>, a pipeline with no tool loop of its own, so the agent's function
/// invocation sits above the gate. (A builder chain gets <c>.UseAgentBill()</c> before its <c>Build()</c> from
/// <see cref="InsertUseAgentBillCodeFixProvider"/>.) Offered only when AgentBill's chat extension is in the compilation.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GateAgentChatClientCodeFixProvider)), Shared]
public sealed class GateAgentChatClientCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "AgentBill.GateAgentChatClient";

    private const string ExtensionType = "AgentBill.Extensions.AI.AgentBillChatClientBuilderExtensions";
    private const string AsBuilderType = "Microsoft.Extensions.AI.ChatClientBuilderChatClientExtensions";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(AgentDiagnostics.UngatedAgentChatClientId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || model.Compilation.GetTypeByMetadataName(ExtensionType) is not { } extensions
            || model.Compilation.GetTypeByMetadataName(AsBuilderType) is not { } asBuilder)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(AgentDiagnostics.FixKind, out var kind) || kind != AgentDiagnostics.WrapClient
                || diagnostic.AdditionalLocations.Count == 0
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax client)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Gate the agent's chat client with .AsBuilder().UseAgentBill().Build()",
                    cancellationToken => WrapAsync(context.Document, client, [extensions.ContainingNamespace.ToDisplayString(), asBuilder.ContainingNamespace.ToDisplayString()], cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> WrapAsync(Document document, ExpressionSyntax client, string[] namespaces, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        ExpressionSyntax receiver = client is ObjectCreationExpressionSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax
            ? client.WithoutTrivia()
            : ParenthesizedExpression(client.WithoutTrivia());
        var gated = Call(Call(Call(receiver, "AsBuilder"), "UseAgentBill"), "Build").WithTriviaFrom(client);
        editor.ReplaceNode(client, gated);
        if (editor.OriginalRoot is CompilationUnitSyntax unit)
        {
            editor.ReplaceNode(unit, (current, _) =>
            {
                var updated = (CompilationUnitSyntax)current;
                foreach (var name in namespaces)
                {
                    updated = UsingDirectives.Add(updated, name);
                }

                return updated;
            });
        }

        return editor.GetChangedDocument();
    }

    private static InvocationExpressionSyntax Call(ExpressionSyntax receiver, string method)
        => InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, IdentifierName(method)), ArgumentList());
}
