using System.Collections.Immutable;
using AgentBill.Generators.Emitting;
using AgentBill.Generators.Model;
using AgentBill.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace AgentBill.Generators;

/// <summary>
/// Turns every call of a <c>[Gate]</c> method into a call of a generated interceptor that holds the gate's
/// estimate before the call and records the usage after it. Each gated method's gating body is generated once,
/// from its declaration; each call site's interceptor forwards to it. No reflection at run time; safe under native AOT.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GateGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Declarations: their diagnostics (bad estimates, shapes that cannot be intercepted) and each method's
        // gating body, emitted once here so that no call site's edit ever regenerates it.
        var declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                GateRules.GateAttribute,
                static (node, _) => true,
                static (context, _) => GatedMethodParser.ParseDeclaration(context.TargetSymbol, context.Attributes[0], context.TargetNode.GetLocation(), context.SemanticModel.Compilation.Assembly))
            .WithTrackingName(TrackingNames.GatedMethods);

        context.RegisterSourceOutput(declarations.Select(static (declaration, _) => declaration.Problems), static (output, problems) =>
        {
            foreach (var problem in problems)
            {
                output.ReportDiagnostic(problem.ToDiagnostic());
            }
        });

        var bodies = declarations
            .Where(static declaration => declaration.Method is not null)
            .Select(static (declaration, _) => declaration.Method!)
            .WithTrackingName(TrackingNames.Bodies);

        context.RegisterSourceOutput(bodies, static (output, method) => output.AddSource(GateBodyEmitter.HintName(method), GateBodyEmitter.Emit(method)));

        var calls = context.SyntaxProvider
            .CreateSyntaxProvider(CallSiteParser.IsCandidateCall, CallSiteParser.Parse)
            .Where(static result => result is not null)
            .Select(static (result, _) => result!)
            .WithTrackingName(TrackingNames.CallSites);

        context.RegisterSourceOutput(calls.Where(static c => c.Problem is not null), static (output, call) => output.ReportDiagnostic(call.Problem!.ToDiagnostic()));

        // Grouped by gated method: an edit in one file re-emits the interceptors of the methods it calls, and
        // every other method's output stays cached.
        var interceptors = calls
            .Where(static c => c.Site is not null)
            .Select(static (c, _) => c.Site!)
            .Collect()
            .SelectMany(static (sites, _) => sites
                .GroupBy(static site => site.Method)
                .OrderBy(static group => group.Key.BodyName, StringComparer.Ordinal)
                .Select(static group => new MethodCallSites(group.Key, group.ToEquatableArray()))
                .ToImmutableArray())
            .WithTrackingName(TrackingNames.Interceptors);

        context.RegisterSourceOutput(interceptors, static (output, method) => output.AddSource(method.Method.BodyName + ".Gate.g.cs", InterceptorEmitter.Emit(method)));

        // The assembly's one InterceptsLocationAttribute, when something is intercepted (a project without gates gets
        // no file at all) and its own sources do not declare it already (a second internal declaration would not
        // compile). Both are flags, re-evaluated per edit, so the output stays cached.
        var intercepts = interceptors.Collect().Select(static (methods, _) => !methods.IsEmpty);
        var declaresAttribute = context.CompilationProvider
            .Select(static (compilation, _) => compilation.Assembly.GetTypeByMetadataName(InterceptorEmitter.AttributeMetadataName) is not null);
        context.RegisterSourceOutput(intercepts.Combine(declaresAttribute), static (output, flags) =>
        {
            if (flags.Left && !flags.Right)
            {
                output.AddSource("InterceptsLocationAttribute.g.cs", InterceptorEmitter.AttributeSource);
            }
        });

        var delegateUses = context.SyntaxProvider
            .CreateSyntaxProvider(CallSiteParser.IsCandidateMethodGroup, CallSiteParser.ParseMethodGroup)
            .Where(static problem => problem is not null)
            .WithTrackingName(TrackingNames.DelegateUses);

        context.RegisterSourceOutput(delegateUses, static (output, problem) => output.ReportDiagnostic(problem!.ToDiagnostic()));
    }
}
