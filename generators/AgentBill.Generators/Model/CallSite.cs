namespace AgentBill.Generators.Model;

/// <summary>One intercepted call: where it is (the compiler's opaque location data) and what it calls.</summary>
/// <param name="FilePath">The file that holds the call; interceptors are emitted per file.</param>
/// <param name="Version">The location data's version.</param>
/// <param name="Data">The location data.</param>
/// <param name="DisplayLocation">Where the call is, for the comment above its interceptor.</param>
/// <param name="Method">The gated method.</param>
internal sealed record CallSite(string FilePath, int Version, string Data, string DisplayLocation, GatedMethod Method);
