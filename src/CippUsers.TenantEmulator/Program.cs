using CippUsers.TenantEmulator;

var settings = new EmulatorSettings();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port": settings.Port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seed": settings.Seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--no-large-tenant": settings.IncludeLargeTenant = false; break;
        case "--no-throttling": settings.Realism.ThrottlingEnabled = false; break;
    }
}

await using var host = await EmulatorHost.StartAsync(settings);
Console.WriteLine($"Tenant emulator listening on {host.BaseUri}");
Console.WriteLine($"  Graph:        {host.BaseUri}v1.0/  and  {host.BaseUri}beta/");
Console.WriteLine($"  Token:        {host.BaseUri}{{tenantId}}/oauth2/v2.0/token  (client_id {host.ClientId}, client_secret {host.ClientSecret})");
Console.WriteLine($"  Exchange:     {host.BaseUri}adminapi/beta/{{tenant}}/InvokeCommand  and  /$batch  (token scope https://outlook.office365.com/.default)");
Console.WriteLine($"  Certificate:  SHA-256 {host.CertificateThumbprint} (self-signed, trust it by thumbprint)");
Console.WriteLine($"  Admin:        {host.BaseUri}_emulator/tenants, _emulator/journal, _emulator/tenants/{{tenantId}}/realism, _emulator/sherweb");
Console.WriteLine($"  Sherweb:      {host.SherwebApiUri}  token {host.SherwebTokenUri}  (client_id {settings.Sherweb.ClientId}, client_secret {settings.Sherweb.ClientSecret}, subscription key {settings.Sherweb.SubscriptionKey})");
foreach (var tenant in host.Tenants)
{
    Console.WriteLine($"  Tenant {tenant.TenantId}  {tenant.DisplayName,-20} {tenant.DefaultDomain,-24} {tenant.UserCount,6} users");
}

if (args.Contains("--measure"))
{
    if (settings.IncludeLargeTenant)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var users = host.State.Tenant(SeededTenants.NorthwindHealthId).UserCount;
        Console.WriteLine($"Built Northwind Health ({users} users) in {started.ElapsedMilliseconds} ms");
    }

    await CippUsers.TenantEmulator.Hosting.Throughput.MeasureAsync(host, TimeSpan.FromSeconds(5), 8, Console.Out);
    return;
}

Console.WriteLine("Press Ctrl+C to stop.");
var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
await stopped.Task;
