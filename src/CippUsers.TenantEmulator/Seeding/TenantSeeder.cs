using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Bogus;
using CippUsers.TenantEmulator.Graph;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Seeding;

/// <summary>Builds believable, deterministic customer tenants from a seed.</summary>
internal static class TenantSeeder
{
    /// <summary>Seed data is dated relative to this fixed day so the same seed always gives the same tenant.</summary>
    private static readonly DateTimeOffset SeedEpoch = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Departments = ["Sales", "Finance", "Operations", "IT", "Human Resources", "Marketing", "Customer Service", "Logistics", "Clinical", "Administration"];

    public static IEnumerable<TenantProfile> Profiles(bool includeLarge)
    {
        yield return new TenantProfile(
            0,
            new EmulatedTenantInfo(SeededTenants.ContosoDentalId, "Contoso Dental", SeededTenants.ContosoDentalDomain, SeededTenants.ContosoDentalInitialDomain, SeededTenants.ContosoDentalUsers),
            "contosodental.co.uk",
            null,
            ["US"],
            [new("O365_BUSINESS_PREMIUM", 0.7, 2), new("EXCHANGESTANDARD", 0.15, 0), new("POWER_BI_STANDARD", 0.1, 9990)],
            0,
            0);
        yield return new TenantProfile(
            1,
            new EmulatedTenantInfo(SeededTenants.FabrikamLogisticsId, "Fabrikam Logistics", SeededTenants.FabrikamLogisticsDomain, SeededTenants.FabrikamLogisticsInitialDomain, SeededTenants.FabrikamLogisticsUsers),
            "fabrikam-logistics.net",
            null,
            ["GB", "GB", "GB", "IE", "US"],
            [new("SPB", 0.5, 5), new("O365_BUSINESS_ESSENTIALS", 0.3, 0), new("EXCHANGESTANDARD", 0.1, 10)],
            0.3,
            4);
        if (includeLarge)
        {
            yield return new TenantProfile(
                2,
                new EmulatedTenantInfo(SeededTenants.NorthwindHealthId, "Northwind Health", SeededTenants.NorthwindHealthDomain, SeededTenants.NorthwindHealthInitialDomain, SeededTenants.NorthwindHealthUsers),
                "northwind-health.net",
                "corp.northwindhealth.org",
                ["US", "US", "US", "CA"],
                [new("SPE_E3", 0.55, 0), new("SPE_E5", 0.05, 25), new("ENTERPRISEPACK", 0.15, 100), new("SPE_F1", 0.15, 0)],
                0.7,
                60);
        }
    }

    public static TenantData Create(TenantProfile profile, int seed, RealismSettings realism)
    {
        var info = profile.Info;
        var faker = new Faker("en") { Random = new Randomizer(seed + (profile.Index * 7919)) };
        var tenant = new TenantData(info, realism);
        tenant.Domains.Add(new TenantDomain(info.DefaultDomain, true, false, true, "Managed"));
        tenant.Domains.Add(new TenantDomain(info.InitialDomain, false, true, true, "Managed"));
        if (profile.FederatedDomain is { } federated)
        {
            tenant.Domains.Add(new TenantDomain(federated, false, false, true, "Federated"));
        }

        tenant.Domains.Add(new TenantDomain(profile.UnverifiedDomain, false, false, false, "Managed"));
        foreach (var plan in profile.Skus)
        {
            var (skuId, plans) = SkuCatalog.Skus[plan.PartNumber];
            tenant.Skus.Add(new TenantSku(skuId, plan.PartNumber, 0, plans));
        }

        var created = SeedEpoch.AddYears(-3);
        tenant.Organization = Organization(info, tenant, profile, created);
        var nicknames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pools = new Pools(faker);
        var guests = Math.Max(2, info.UserCount * 3 / 100);
        var members = info.UserCount - guests;
        var departmentHeads = new Dictionary<string, DirectoryUser>();
        DirectoryUser? chief = null;
        for (var i = 0; i < members; i++)
        {
            var user = Member(faker, pools, tenant, profile, nicknames, i);
            tenant.AddUser(user);
            var department = (string)user.Data["department"]!;
            if (chief is null)
            {
                chief = user;
                user.Data["jobTitle"] = "Managing Director";
            }
            else if (!departmentHeads.TryGetValue(department, out var head))
            {
                departmentHeads[department] = user;
                user.Data["jobTitle"] = $"{department} Manager";
                user.ManagerId = chief.Id;
            }
            else
            {
                user.ManagerId = head.Id;
            }
        }

        for (var i = 0; i < guests; i++)
        {
            tenant.AddUser(Guest(faker, info));
        }

        foreach (var (plan, index) in profile.Skus.Select((p, i) => (p, i)))
        {
            tenant.Skus[index].Prepaid = tenant.Skus[index].Consumed + plan.Spare;
        }

        AddRoles(tenant);
        AddGroups(faker, tenant, profile);
        foreach (var user in tenant.Users)
        {
            user.AuthenticationMethods.Add(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.passwordAuthenticationMethod",
                ["id"] = "28c10230-6103-485e-b985-444c60001490",
                ["password"] = null,
                ["createdDateTime"] = user.Data["createdDateTime"]?.DeepClone(),
            });
            if (user.Data["mobilePhone"] is JsonValue phone && faker.Random.Bool(0.6f))
            {
                user.AuthenticationMethods.Add(new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.phoneAuthenticationMethod",
                    ["id"] = "3179e48a-750b-4051-897c-87b9720928f7",
                    ["phoneNumber"] = phone.DeepClone(),
                    ["phoneType"] = "mobile",
                    ["smsSignInState"] = "notSupported",
                });
            }
        }

        Graph.Users.SignInActivity.Seed(tenant, seed, profile.Index, SeedEpoch);
        Exchange.MailboxSeeder.Seed(tenant, SeedEpoch);
        return tenant;
    }

    private static DirectoryUser Member(Faker faker, Pools pools, TenantData tenant, TenantProfile profile, HashSet<string> nicknames, int index)
    {
        var info = profile.Info;
        var given = faker.Name.FirstName();
        var surname = faker.Name.LastName();
        var nickname = Nickname($"{given}.{surname}");
        for (var n = 2; !nicknames.Add(nickname); n++)
        {
            nickname = Nickname($"{given}.{surname}{n}");
        }

        var id = faker.Random.Guid().ToString();
        var upn = $"{nickname}@{info.DefaultDomain}";
        var department = Departments[faker.Random.Int(0, Departments.Length - 1)];
        var synced = index > 2 && faker.Random.Double() < profile.SyncedShare;
        var enabled = index < 3 || faker.Random.Double() > 0.04;
        var licensed = index < 3 || faker.Random.Double() < 0.9;
        var usageLocation = licensed || faker.Random.Bool() ? faker.PickRandom(profile.UsageLocations) : null;
        var licenses = new JsonArray();
        if (licensed && usageLocation is not null)
        {
            var roll = faker.Random.Double();
            var cumulative = 0.0;
            foreach (var (plan, skuIndex) in profile.Skus.Select((p, i) => (p, i)))
            {
                cumulative += plan.Share;
                if (roll < cumulative)
                {
                    licenses.Add(new JsonObject { ["skuId"] = tenant.Skus[skuIndex].SkuId, ["disabledPlans"] = new JsonArray() });
                    tenant.Skus[skuIndex].Consumed++;
                    break;
                }
            }
        }

        var country = usageLocation ?? profile.UsageLocations[0];
        var data = new JsonObject
        {
            ["id"] = id,
            ["businessPhones"] = new JsonArray(faker.Phone.PhoneNumber("+1 ###-###-####")),
            ["displayName"] = $"{given} {surname}",
            ["givenName"] = given,
            ["jobTitle"] = faker.PickRandom(pools.JobTitles),
            ["mail"] = upn,
            ["mobilePhone"] = faker.Random.Bool(0.7f) ? faker.Phone.PhoneNumber("+1 ###-###-####") : null,
            ["officeLocation"] = faker.PickRandom(pools.Offices),
            ["preferredLanguage"] = country == "US" ? "en-US" : "en-GB",
            ["surname"] = surname,
            ["userPrincipalName"] = upn,
            ["accountEnabled"] = enabled,
            ["ageGroup"] = null,
            ["assignedLicenses"] = licenses,
            ["city"] = faker.PickRandom(pools.Cities),
            ["companyName"] = info.DisplayName,
            ["country"] = country,
            ["createdDateTime"] = Timestamp(SeedEpoch.AddDays(-faker.Random.Int(30, 2000))),
            ["creationType"] = null,
            ["department"] = department,
            ["employeeId"] = faker.Random.Replace("E#####"),
            ["externalUserState"] = null,
            ["mailNickname"] = nickname,
            ["onPremisesDistinguishedName"] = synced ? $"CN={given} {surname},OU=Users,DC=corp,DC=local" : null,
            ["onPremisesImmutableId"] = synced ? Convert.ToBase64String(faker.Random.Guid().ToByteArray()) : null,
            ["onPremisesLastSyncDateTime"] = synced ? Timestamp(SeedEpoch.AddMinutes(-faker.Random.Int(5, 60))) : null,
            ["onPremisesSamAccountName"] = synced ? nickname.Replace(".", "", StringComparison.Ordinal)[..Math.Min(20, nickname.Length - 1)] : null,
            ["onPremisesSyncEnabled"] = synced ? true : null,
            ["otherMails"] = new JsonArray(),
            ["passwordPolicies"] = synced ? "DisablePasswordExpiration" : null,
            ["postalCode"] = faker.Random.Replace("#####"),
            ["proxyAddresses"] = new JsonArray($"SMTP:{upn}", $"smtp:{nickname}@{info.InitialDomain}"),
            ["showInAddressList"] = null,
            ["state"] = faker.PickRandom(pools.States),
            ["streetAddress"] = $"{faker.Random.Int(1, 9999)} {faker.PickRandom(pools.Streets)}",
            ["usageLocation"] = usageLocation,
            ["userType"] = "Member",
        };
        // Every other property a user list can select, with Graph's empty values (no random draws: seeds stay stable).
        foreach (var (key, value) in Graph.Users.UserFactory.NewUser(id, data["displayName"]!.GetValue<string>(), upn, nickname, enabled))
        {
            if (!data.ContainsKey(key))
            {
                data[key] = value?.DeepClone();
            }
        }

        return new DirectoryUser(id, data, DateTimeOffset.MinValue);
    }

    private static DirectoryUser Guest(Faker faker, EmulatedTenantInfo info)
    {
        var given = faker.Name.FirstName();
        var surname = faker.Name.LastName();
        var email = $"{Nickname($"{given}.{surname}")}@{faker.Internet.DomainWord()}{faker.Random.Int(1, 99)}.example.com";
        var id = faker.Random.Guid().ToString();
        var upn = $"{email.Replace('@', '_')}#EXT#@{info.InitialDomain}";
        var data = Graph.Users.UserFactory.NewUser(id, $"{given} {surname} (Guest)", upn, email.Split('@')[0].Replace(".", "_", StringComparison.Ordinal), true);
        data["givenName"] = given;
        data["surname"] = surname;
        data["mail"] = email;
        data["userType"] = "Guest";
        data["externalUserState"] = faker.Random.Bool(0.7f) ? "Accepted" : "PendingAcceptance";
        data["creationType"] = "Invitation";
        data["createdDateTime"] = Timestamp(SeedEpoch.AddDays(-faker.Random.Int(10, 700)));
        data["proxyAddresses"] = new JsonArray($"SMTP:{email}");
        data["otherMails"] = new JsonArray(email);
        return new DirectoryUser(id, data, DateTimeOffset.MinValue);
    }

    private static void AddRoles(TenantData tenant)
    {
        var members = tenant.Users.Where(u => (string?)u.Data["userType"] == "Member").ToList();
        tenant.Roles.Add(new DirectoryRole(GraphShapes.DeterministicGuid(tenant.Info.TenantId + "ga"), "Global Administrator", "62e90394-69f5-4237-9190-012177145e10", new(StringComparer.OrdinalIgnoreCase) { members[0].Id }));
        tenant.Roles.Add(new DirectoryRole(GraphShapes.DeterministicGuid(tenant.Info.TenantId + "ua"), "User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1", new(StringComparer.OrdinalIgnoreCase) { members[1].Id, members[2].Id }));
    }

    private static void AddGroups(Faker faker, TenantData tenant, TenantProfile profile)
    {
        var info = profile.Info;
        var members = tenant.Users.Where(u => (string?)u.Data["userType"] == "Member").ToList();
        var enabledMembers = members.Where(u => u.Data["accountEnabled"]!.GetValue<bool>()).ToList();
        var created = Timestamp(SeedEpoch.AddYears(-2));

        DirectoryGroup Add(string name, string nickname, bool mailEnabled, bool securityEnabled, string[] groupTypes, IEnumerable<DirectoryUser> users, Action<JsonObject>? extra = null)
        {
            var id = faker.Random.Guid().ToString();
            var data = new JsonObject
            {
                ["id"] = id,
                ["deletedDateTime"] = null,
                ["classification"] = null,
                ["createdDateTime"] = created,
                ["description"] = $"{name} at {info.DisplayName}",
                ["displayName"] = name,
                ["groupTypes"] = new JsonArray([.. groupTypes.Select(t => (JsonNode)t)]),
                ["mail"] = mailEnabled ? $"{nickname}@{info.DefaultDomain}" : null,
                ["mailEnabled"] = mailEnabled,
                ["mailNickname"] = nickname,
                ["membershipRule"] = null,
                ["membershipRuleProcessingState"] = null,
                ["onPremisesLastSyncDateTime"] = null,
                ["onPremisesSecurityIdentifier"] = null,
                ["onPremisesSyncEnabled"] = null,
                ["proxyAddresses"] = mailEnabled ? new JsonArray($"SMTP:{nickname}@{info.DefaultDomain}") : new JsonArray(),
                ["renewedDateTime"] = created,
                ["securityEnabled"] = securityEnabled,
                ["securityIdentifier"] = $"S-1-12-1-{faker.Random.UInt()}-{faker.Random.UInt()}",
                ["visibility"] = groupTypes.Contains("Unified") ? "Private" : null,
            };
            extra?.Invoke(data);
            var group = new DirectoryGroup(id, data);
            foreach (var user in users)
            {
                group.Members.Add(user.Id);
            }

            tenant.AddGroup(group);
            return group;
        }

        List<DirectoryUser> Some(double share) => [.. enabledMembers.Where(_ => faker.Random.Double() < share)];

        Add("All Staff", "allstaff", true, false, ["Unified"], enabledMembers);
        Add("Sales Team", "salesteam", true, false, ["Unified"], members.Where(u => (string?)u.Data["department"] == "Sales"));
        Add("IT Admins", "itadmins", false, true, [], members.Take(3));
        Add("VPN Users", "vpnusers", false, true, [], Some(0.3));
        Add("Finance Approvers", "financeapprovers", true, true, [], members.Where(u => (string?)u.Data["department"] == "Finance").Take(5));
        Add("All Company", "allcompany", true, false, [], enabledMembers);
        Add("Managers (dynamic)", "managersdynamic", false, true, ["DynamicMembership"], members.Where(u => ((string?)u.Data["jobTitle"] ?? "").Contains("Manager", StringComparison.Ordinal)), data =>
        {
            data["membershipRule"] = "(user.jobTitle -contains \"Manager\")";
            data["membershipRuleProcessingState"] = "On";
        });
        var synced = members.Where(u => u.Data["onPremisesSyncEnabled"] is not null).ToList();
        if (synced.Count > 0)
        {
            Add("SG-FileShare-Users", "sgfileshareusers", false, true, [], synced.Take(20), data =>
            {
                data["onPremisesSyncEnabled"] = true;
                data["onPremisesLastSyncDateTime"] = Timestamp(SeedEpoch.AddMinutes(-20));
                data["onPremisesSecurityIdentifier"] = $"S-1-5-21-{faker.Random.UInt()}-{faker.Random.UInt()}-{faker.Random.Int(1000, 9999)}";
            });
        }

        var byDepartment = enabledMembers.ToLookup(u => (string?)u.Data["department"]);
        for (var i = 0; i < profile.ExtraGroups; i++)
        {
            var department = Departments[i % Departments.Length];
            var name = $"{department} {faker.Commerce.Department()} {i + 1}";
            var unified = i % 2 == 0;
            Add(name, Nickname(name).Replace(".", "", StringComparison.Ordinal), unified, !unified, unified ? ["Unified"] : [], byDepartment[department].Where(_ => faker.Random.Bool(0.2f)));
        }
    }

    private static JsonObject Organization(EmulatedTenantInfo info, TenantData tenant, TenantProfile profile, DateTimeOffset created) => new()
    {
        ["id"] = info.TenantId,
        ["deletedDateTime"] = null,
        ["businessPhones"] = new JsonArray("+1 425 555 0100"),
        ["city"] = "Redmond",
        ["country"] = null,
        ["countryLetterCode"] = profile.UsageLocations[0],
        ["createdDateTime"] = Timestamp(created),
        ["defaultUsageLocation"] = null,
        ["displayName"] = info.DisplayName,
        ["marketingNotificationEmails"] = new JsonArray(),
        ["onPremisesLastSyncDateTime"] = profile.SyncedShare > 0 ? Timestamp(SeedEpoch.AddMinutes(-20)) : null,
        ["onPremisesSyncEnabled"] = profile.SyncedShare > 0 ? true : null,
        ["postalCode"] = "98052",
        ["preferredLanguage"] = "en",
        ["state"] = null,
        ["street"] = "1 Main Street",
        ["tenantType"] = "AAD",
        ["technicalNotificationMails"] = new JsonArray($"it@{info.DefaultDomain}"),
        ["assignedPlans"] = new JsonArray(),
        ["verifiedDomains"] = new JsonArray([.. tenant.Domains.Where(d => d.IsVerified).Select(d => (JsonNode)new JsonObject
        {
            ["capabilities"] = "Email, OfficeCommunicationsOnline",
            ["isDefault"] = d.IsDefault,
            ["isInitial"] = d.IsInitial,
            ["name"] = d.Id,
            ["type"] = d.AuthenticationType,
        })]),
    };

    /// <summary>Bogus builds addresses and titles from templates, which is slow; a tenant draws from small pools instead.</summary>
    private sealed class Pools(Faker faker)
    {
        public string[] JobTitles { get; } = [.. Enumerable.Range(0, 120).Select(_ => faker.Name.JobTitle())];

        public string[] Cities { get; } = [.. Enumerable.Range(0, 80).Select(_ => faker.Address.City())];

        public string[] Offices { get; } = [.. Enumerable.Range(0, 12).Select(_ => faker.Address.City())];

        public string[] States { get; } = [.. Enumerable.Range(0, 30).Select(_ => faker.Address.State())];

        public string[] Streets { get; } = [.. Enumerable.Range(0, 300).Select(_ => faker.Address.StreetName())];
    }

    private static string Nickname(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.')
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim('.');
    }

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
