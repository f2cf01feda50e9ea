using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AgentBill.Generators.Model;

/// <summary>A diagnostic as equatable data: descriptors and locations are rebuilt only when it is reported.</summary>
internal sealed record DiagnosticInfo(string DescriptorId, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
    {
        var lineSpan = location.GetLineSpan();
        return new DiagnosticInfo(descriptor.Id, lineSpan.Path ?? string.Empty, location.SourceSpan, lineSpan.Span, arguments.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic() => Diagnostic.Create(
        Diagnostics.DiagnosticDescriptors.ById(DescriptorId),
        Location.Create(FilePath, Span, LineSpan),
        Arguments.Cast<object>().ToArray());
}
