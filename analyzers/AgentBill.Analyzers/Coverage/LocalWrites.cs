using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>Finds the values written to a local in a body; a write whose value cannot be seen is yielded as null.</summary>
internal static class LocalWrites
{
    public static IEnumerable<IOperation?> Find(IOperation body, ILocalSymbol local)
    {
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
                    if (initializer is not null)
                    {
                        yield return initializer.Value;
                    }

                    break;
                case ISimpleAssignmentOperation assignment when IsLocal(assignment.Target, local):
                    yield return assignment.Value;
                    break;
                case ICoalesceAssignmentOperation assignment when IsLocal(assignment.Target, local):
                    yield return assignment.Value;
                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local)
                                                           && IsHiddenWrite(reference):
                    yield return null;
                    break;
            }
        }
    }

    private static bool IsLocal(IOperation target, ILocalSymbol local)
        => target.Unwrap() is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    // out/ref arguments and deconstructions write values the analyzer cannot follow.
    private static bool IsHiddenWrite(ILocalReferenceOperation reference)
        => reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref }
           || (reference.Parent is ITupleOperation && reference.Parent.Parent is IDeconstructionAssignmentOperation);
}
