using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>Whether a value is known to go through an AgentBill gate.</summary>
internal enum VerdictKind
{
    /// <summary>Nothing in view gates it.</summary>
    NotGated,

    /// <summary>An AgentBill gate is in view.</summary>
    Gated,

    /// <summary>It depends on how members of the analyzed type are assigned; decided when the whole type was seen.</summary>
    DependsOnMembers,
}

/// <summary>
/// The answer of <see cref="PipelineTracer"/>: a kind, the members it depends on, and the <c>Build()</c> call of a
/// <c>ChatClientBuilder</c> chain in view where <c>.UseAgentBill()</c> could be inserted.
/// </summary>
internal readonly struct Verdict
{
    private Verdict(VerdictKind kind, ImmutableArray<ISymbol> members, IInvocationOperation? fixableBuild)
    {
        Kind = kind;
        Members = members;
        FixableBuild = fixableBuild;
    }

    public static Verdict Gated { get; } = new(VerdictKind.Gated, ImmutableArray<ISymbol>.Empty, null);

    public VerdictKind Kind { get; }

    public ImmutableArray<ISymbol> Members { get; }

    public IInvocationOperation? FixableBuild { get; }

    public static Verdict NotGated(IInvocationOperation? fixableBuild = null)
        => new(VerdictKind.NotGated, ImmutableArray<ISymbol>.Empty, fixableBuild);

    public static Verdict DependsOn(ISymbol member)
        => new(VerdictKind.DependsOnMembers, ImmutableArray.Create(member), null);

    /// <summary>Keeps the nearest <c>Build()</c> call seen on the way to this answer as the place to fix.</summary>
    public Verdict WithFix(IInvocationOperation? nearerBuild)
        => nearerBuild is null || Kind == VerdictKind.Gated ? this : new(Kind, Members, nearerBuild);

    /// <summary>Both values must be gated: not-gated wins, then dependencies add up.</summary>
    public Verdict And(Verdict other)
    {
        if (Kind == VerdictKind.NotGated)
        {
            return this;
        }

        if (other.Kind == VerdictKind.NotGated)
        {
            return other;
        }

        if (Kind == VerdictKind.Gated)
        {
            return other;
        }

        if (other.Kind == VerdictKind.Gated)
        {
            return this;
        }

        return new(VerdictKind.DependsOnMembers, Members.AddRange(other.Members), FixableBuild ?? other.FixableBuild);
    }
}
