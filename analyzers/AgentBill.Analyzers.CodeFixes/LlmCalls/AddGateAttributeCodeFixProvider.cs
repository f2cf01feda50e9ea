using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentBill.Analyzers.CodeFixes;

/// <summary>
/// AGB0001: adds <c>[Gate("&lt;method name&gt;", EstimatedUnits = 1)]</c> to the method that holds the call. The
/// attribute type is written fully qualified with import and simplifier annotations, so the cleanup adds
/// <c>using AgentBill;</c> when it is missing and shortens the name.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddGateAttributeCodeFixProvider)), Shared]
public sealed class AddGateAttributeCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the action, shared by every diagnostic it fixes.</summary>
    public const string EquivalenceKey = "AgentBill.AddGate";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UngatedLlmCall);

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
            if (!diagnostic.Properties.ContainsKey(FixProperties.CanAddGate)
                || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
            {
                continue;
            }

            var name = method.Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Gate '{name}' with [Gate(\"{name}\")]",
                    cancellationToken => AddGateAsync(context.Document, method, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static readonly SyntaxAnnotation ImportsAnnotation = new(nameof(AddGateAttributeCodeFixProvider));

    private static async Task<Document> AddGateAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var gate = editor.SemanticModel.Compilation.GetTypeByMetadataName("AgentBill.GateAttribute");
        if (gate is null)
        {
            return document;
        }

        var generator = editor.Generator;
        var arguments = ImmutableArray.CreateBuilder<SyntaxNode>();
        arguments.Add(generator.AttributeArgument(generator.LiteralExpression(method.Identifier.ValueText)));

        // The estimate is a placeholder the user should tune; it is only written when the attribute has it.
        if (gate.GetMembers("EstimatedUnits").OfType<IPropertySymbol>().Any(p => p.SetMethod is not null))
        {
            arguments.Add(generator.AttributeArgument("EstimatedUnits", generator.LiteralExpression(1)));
        }

        var attribute = generator.Attribute(generator.TypeExpression(gate, addImport: true), arguments)
            .WithAdditionalAnnotations(Formatter.Annotation, ImportsAnnotation);
        editor.AddAttribute(method, attribute);

        // Imports the namespace of the qualified name; the code action's cleanup then simplifies it to [Gate(...)].
        return await ImportAdder.AddImportsAsync(editor.GetChangedDocument(), ImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
