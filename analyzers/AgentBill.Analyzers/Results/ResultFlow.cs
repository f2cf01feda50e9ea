using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// Follows the value a call returns (awaited, when the call returns a task) through the local that holds it, in
/// the body that makes the call, to tell whether it is handled, escapes, or is dropped. Conservative: anything it
/// cannot follow counts as escaping, so a report always means "dropped in plain sight".
/// </summary>
internal static class ResultFlow
{
    /// <param name="call">The call that produces the value.</param>
    /// <param name="handles">Whether an operation that uses the value (a property read, a call on it, an extension call taking it) handles it.</param>
    /// <param name="holder">The declarator of the plain local that holds the value, when there is one.</param>
    public static ResultFate Follow(IInvocationOperation call, Func<IOperation, bool> handles, out IVariableDeclaratorOperation? holder)
    {
        holder = null;
        IOperation value = call;
        var parent = call.ParentSkippingConversions();
        if (parent is IAwaitOperation awaited)
        {
            value = awaited;
            parent = awaited.ParentSkippingConversions();
        }

        switch (parent)
        {
            case IExpressionStatementOperation:
                return ResultFate.Dropped;
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                return ResultFate.Dropped;
            case ISimpleAssignmentOperation assignment when assignment.Target.Unwrap() is ILocalReferenceOperation local:
                return FollowLocal(call, local.Local, handles);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                if (IsUsingResource(declarator))
                {
                    return ResultFate.Handled;
                }

                holder = declarator;
                return FollowLocal(call, declarator.Symbol, handles);
            default:
                return parent is null ? ResultFate.Escapes : Use(value, parent, handles) ?? ResultFate.Escapes;
        }
    }

    private static ResultFate FollowLocal(IOperation call, ILocalSymbol local, Func<IOperation, bool> handles)
    {
        var fate = ResultFate.Dropped;
        foreach (var operation in call.Root().Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            var parent = reference.ParentSkippingConversions();
            if (parent is ISimpleAssignmentOperation assignment && assignment.Target.Unwrap() == reference)
            {
                // A write to the local, not a use of the value.
                continue;
            }

            switch (parent is null ? ResultFate.Escapes : Use(reference, parent, handles))
            {
                case ResultFate.Handled:
                    return ResultFate.Handled;
                case ResultFate.Escapes:
                    fate = ResultFate.Escapes;
                    break;
            }
        }

        return fate;
    }

    // How one use of the value treats it; null when the use is not one of the recognised member accesses.
    private static ResultFate? Use(IOperation value, IOperation parent, Func<IOperation, bool> handles)
    {
        switch (parent)
        {
            case IPropertyReferenceOperation property when property.Instance?.Unwrap() == value:
                return handles(property) ? ResultFate.Handled : ResultFate.Dropped;
            case IInvocationOperation invocation when invocation.Instance?.Unwrap() == value:
                return handles(invocation) ? ResultFate.Handled : ResultFate.Dropped;
            case IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } extension }:
                return handles(extension) ? ResultFate.Handled : ResultFate.Escapes;
            case IUsingOperation:
                return ResultFate.Handled;
            default:
                return ResultFate.Escapes;
        }
    }

    private static bool IsUsingResource(IVariableDeclaratorOperation declarator)
    {
        var group = declarator.Parent?.Parent;
        return group?.Parent is IUsingDeclarationOperation || group?.Parent is IUsingOperation;
    }
}
