using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AgentBill.Tests;

/// <summary>README.md is also every package's readme on NuGet: its links must work there, and it must name every package.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    [Fact]
    public void Every_link_is_absolute_and_every_link_into_the_repository_names_a_file_that_exists()
    {
        var repository = RepositoryUrl();
        var links = MarkdownLink().Matches(Readme).Select(m => m.Groups["target"].Value).ToList();

        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            Assert.True(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, $"'{link}' is not an absolute https link.");
            if (!link.StartsWith(repository, StringComparison.Ordinal) || link == repository)
            {
                continue;
            }

            var path = Regex.Replace(link[repository.Length..], "^/(blob|tree)/main/", string.Empty).Split('#')[0];
            Assert.True(File.Exists(Path.Combine(Root, path)) || Directory.Exists(Path.Combine(Root, path)), $"'{link}' names '{path}', which is not in the repository.");
        }
    }

    [Fact]
    public void Every_shipped_package_has_an_install_line()
    {
        // A package is a folder of src/ with its project; src/Common holds source the stores compile in, no package.
        var packages = Directory.GetDirectories(Path.Combine(Root, "src"))
            .Where(folder => File.Exists(Path.Combine(folder, Path.GetFileName(folder) + ".csproj")))
            .Select(Path.GetFileName)
            .ToList();

        Assert.NotEmpty(packages);
        foreach (var package in packages)
        {
            // A library is added to a project; a tool (AgentBill.Cli) is installed.
            Assert.True(
                Readme.Contains($"dotnet add package {package} ", StringComparison.Ordinal)
                || Regex.IsMatch(Readme, $@"dotnet tool install [^\n]*\b{Regex.Escape(package!)}\b"),
                $"README.md has no install line for {package}.");
        }
    }

    [Fact]
    public void The_packages_name_the_repository()
    {
        var repository = RepositoryUrl();

        Assert.StartsWith("https://", repository);
        Assert.Contains($"[the repository]({repository})", Readme);
    }

    private static string RepositoryUrl()
        => XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentBill.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AgentBill.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
