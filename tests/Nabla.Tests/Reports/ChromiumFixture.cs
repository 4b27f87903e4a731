using Microsoft.Playwright;

namespace Nabla.Tests.Reports;

/// <summary>
/// One headless Debian Chromium (<c>/usr/bin/chromium</c>, never a downloaded browser) driven by Playwright, shared by a
/// test class. When that Chromium is absent, <see cref="Browser"/> is null and <see cref="MissingReason"/> says why.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser? Browser { get; private set; }

    public string? MissingReason { get; private set; }

    /// <summary>The browser, or the calling test is reported as skipped (never passed) with the reason.</summary>
    public IBrowser Require()
    {
        if (Browser is null) Assert.Skip(MissingReason ?? "the browser did not start");
        return Browser;
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            MissingReason = $"browser tests did not run: {ExecutablePath} is not installed (apt-get install -y chromium)";
            return;
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
    }
}

/// <summary>
/// A page opened from a file:// URL at 1280 × 800, with every console error, uncaught page error and non-file request
/// recorded in <see cref="Problems"/>. Any problem fails the test: when the page has loaded, and again when it is disposed
/// (so one raised by a test's clicks or hovers fails it too, even where the test does not look).
/// </summary>
internal sealed class OpenReport : IAsyncDisposable
{
    private readonly IBrowserContext context;

    private OpenReport(IBrowserContext context, IPage page, string path)
    {
        this.context = context;
        Page = page;
        Path = path;
    }

    public IPage Page { get; }

    public string Path { get; }

    public List<string> Problems { get; } = [];

    /// <summary>Opens <paramref name="html"/>; with <paramref name="waitForReady"/>, waits for the report's <c>html[data-ready=true]</c>.</summary>
    public static async Task<OpenReport> OpenAsync(IBrowser browser, string html, bool waitForReady = true)
    {
        string path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("nabla-report-").FullName, "report.html");
        await File.WriteAllTextAsync(path, html);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var report = new OpenReport(context, page, path);
        page.Console += (_, message) => { if (message.Type == "error") report.Problems.Add($"console error: {message.Text}"); };
        page.PageError += (_, error) => report.Problems.Add($"page error: {error}");
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                report.Problems.Add($"network request: {route.Request.Url}");
                await route.AbortAsync();
            }
        });
        try
        {
            await page.GotoAsync(new Uri(path).AbsoluteUri);
            if (waitForReady) await page.WaitForSelectorAsync("html[data-ready=true]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
            report.FailOnProblems("while loading");
        }
        catch
        {
            await report.CloseAsync();
            throw;
        }
        return report;
    }

    /// <summary>Evaluates <paramref name="script"/> in the page and returns its JSON-able result.</summary>
    public Task<T> EvalAsync<T>(string script) => Page.EvaluateAsync<T>(script);

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        FailOnProblems("during the test");
    }

    private void FailOnProblems(string when)
    {
        if (Problems.Count > 0) Assert.Fail($"the page reported {Problems.Count} problem(s) {when}:\n" + string.Join("\n", Problems));
    }

    private async Task CloseAsync()
    {
        await context.CloseAsync();
        try { Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true); } catch (IOException) { }
    }
}
