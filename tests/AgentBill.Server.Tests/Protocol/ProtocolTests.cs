using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentBill.Server.Tests.Protocol;

public sealed class ProtocolTests
{
    private static async Task<(LoopbackServer Server, ProtocolClient Client, ProtocolClient Admin)> StartAsync()
    {
        var server = await LoopbackServer.StartAsync();
        return (server, new ProtocolClient(server.CreateClient(server.MeteringKey)), new ProtocolClient(server.CreateClient(server.AdminKey)));
    }

    private static async Task SetLimitAsync(ProtocolClient admin, string customer, long limit)
        => Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/budget", $$"""{"customer_id":"{{customer}}","limit_units":{{limit}}}""")).Status);

    private static async Task<long> UsedAsync(ProtocolClient client, string customer)
        => (long)(await client.GetAsync("/budget?customer_id=" + customer)).Body["used"]!;

    [Fact]
    public async Task An_agent_budget_set_with_the_agent_id_extension_refuses_that_agent_and_not_the_customers_others()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;

        var (status, budget) = await admin.PutAsync("/budget", """{"customer_id":"acme","agent_id":"writer","limit_units":10}""");
        var (_, writer) = await client.PostAsync("/preflight", """{"agent_id":"writer","customer_id":"acme","estimated_units":11}""");
        var (_, reader) = await client.PostAsync("/preflight", """{"agent_id":"reader","customer_id":"acme","estimated_units":11}""");

        Assert.Equal((HttpStatusCode.OK, "writer", 10L), (status, (string)budget["agent_id"]!, (long)budget["limit"]!));
        Assert.Equal(JsonValueKind.False, writer["approved"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, reader["approved"]!.GetValueKind());
        Assert.Null((await client.GetAsync("/budget?customer_id=acme")).Body["limit"]);
        Assert.Equal(10, (long)(await client.GetAsync("/budget?customer_id=acme&agent_id=writer")).Body["limit"]!);
    }

    [Fact]
    public async Task A_preflight_within_the_budget_is_approved_with_a_hold_and_settled_by_an_event()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;
        await SetLimitAsync(admin, "acme", 100);

        var (status, preflight) = await client.PostAsync("/preflight", """{"agent_id":"writer","customer_id":"acme","estimated_units":30}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.True, preflight["approved"]!.GetValueKind());
        Assert.Null(preflight["reason"]);
        Assert.Equal(70, (long)preflight["remaining_units"]!);
        var id = (string)preflight["reservation_id"]!;
        Assert.True(DateTimeOffset.TryParse((string)preflight["reservation_expires_at"]!, System.Globalization.CultureInfo.InvariantCulture, out _));

        var (eventStatus, recorded) = await client.PostAsync("/events", $$"""{"customer_id":"acme","event_type":"writer","units":25,"reservation_id":"{{id}}"}""");

        Assert.Equal(HttpStatusCode.OK, eventStatus);
        Assert.Equal("recorded", (string)recorded["status"]!);
        var budget = (await client.GetAsync("/budget?customer_id=acme")).Body;
        Assert.Equal(25, (long)budget["used"]!);
        Assert.Equal(75, (long)budget["remaining"]!);
        Assert.False((bool)budget["is_blocked"]!);
    }

    [Fact]
    public async Task A_preflight_over_the_budget_is_a_200_refusal_naming_the_remaining_units()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;
        await SetLimitAsync(admin, "acme", 10);

        var (status, body) = await client.PostAsync("/preflight", """{"agent_id":"writer","customer_id":"acme","estimated_units":11}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.False, body["approved"]!.GetValueKind());
        Assert.Equal("budget_exhausted", (string)body["reason"]!);
        Assert.Equal(10, (long)body["remaining_units"]!);
        Assert.Null(body["reservation_id"]);
    }

    [Fact]
    public async Task A_per_call_ceiling_refuses_without_holding()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;

        var (_, body) = await client.PostAsync("/preflight", """{"agent_id":"writer","estimated_units":50,"ceiling":10}""");

        Assert.False((bool)body["approved"]!);
        Assert.Equal("ceiling_exceeded", (string)body["reason"]!);
        Assert.Equal(0, (long)(await client.GetAsync("/budget")).Body["reserved"]!);
    }

    [Fact]
    public async Task A_new_task_needs_a_ceiling_and_a_task_ceiling_refuses_past_it()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;

        var (missing, error) = await client.PostAsync("/preflight", """{"agent_id":"a","task_ref":"t1","estimated_units":5}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing);
        Assert.Equal("task_ceiling_required", (string)error["error"]!);

        var (_, first) = await client.PostAsync("/preflight", """{"agent_id":"a","task_ref":"t1","task_ceiling":10,"estimated_units":6}""");
        Assert.True((bool)first["approved"]!);
        Assert.Equal(10, (long)first["task_ceiling"]!);
        Assert.Equal(4, (long)first["task_remaining_units"]!);

        var (_, second) = await client.PostAsync("/preflight", """{"agent_id":"a","task_ref":"t1","estimated_units":6}""");
        Assert.False((bool)second["approved"]!);
        Assert.Equal("task_ceiling_exceeded", (string)second["reason"]!);
        Assert.Equal("t1", (string)second["task_ref"]!);
        Assert.Equal(10, (long)second["task_ceiling"]!);
        Assert.Equal(4, (long)second["task_remaining_units"]!);

        var (mismatch, mismatchBody) = await client.PostAsync("/preflight", """{"agent_id":"a","task_ref":"t1","unit":"token","estimated_units":1}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch);
        Assert.Equal("task_unit_mismatch", (string)mismatchBody["error"]!);
    }

    [Fact]
    public async Task A_task_ceiling_is_set_read_and_never_lowered_below_what_is_committed()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tasks/t9")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/tasks/t9/ceiling", """{"ceiling_units":100}""")).Status);
        var (_, preflight) = await client.PostAsync("/preflight", """{"agent_id":"a","task_ref":"t9","estimated_units":40}""");
        Assert.True((bool)preflight["approved"]!);

        var (status, refused) = await client.PutAsync("/tasks/t9/ceiling", """{"ceiling_units":39}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("ceiling_below_committed", (string)refused["error"]!);
        Assert.Equal(40, (long)refused["minimum_ceiling_units"]!);

        var task = (await client.GetAsync("/tasks/t9")).Body;
        Assert.Equal("t9", (string)task["task_ref"]!);
        Assert.Equal(100, (long)task["ceiling_units"]!);
        Assert.Equal(0, (long)task["used_units"]!);
        Assert.Equal(40, (long)task["reserved_units"]!);
        Assert.Equal(60, (long)task["remaining_units"]!);
        Assert.False((bool)task["exceeded"]!);
    }

    [Fact]
    public async Task A_failed_run_releases_its_hold_and_charges_nothing()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;
        var id = (string)(await client.PostAsync("/preflight", """{"agent_id":"a","estimated_units":7}""")).Body["reservation_id"]!;

        var (_, body) = await client.PostAsync("/events", $$"""{"event_type":"a","units":7,"reservation_id":"{{id}}","success":false}""");

        Assert.Equal("released", (string)body["status"]!);
        var budget = (await client.GetAsync("/budget")).Body;
        Assert.Equal(0, (long)budget["used"]!);
        Assert.Equal(0, (long)budget["reserved"]!);
    }

    [Fact]
    public async Task A_repeated_event_key_is_ignored_and_charged_once()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;
        const string Event = """{"event_type":"a","units":5,"idempotency_key":"e-1"}""";

        Assert.Equal("recorded", (string)(await client.PostAsync("/events", Event)).Body["status"]!);
        Assert.Equal("duplicate_ignored", (string)(await client.PostAsync("/events", Event)).Body["status"]!);
        Assert.Equal(5, await UsedAsync(client, "default"));
    }

    [Fact]
    public async Task A_record_past_the_limit_is_stored_as_an_overrun_and_the_next_preflight_is_refused()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;
        await SetLimitAsync(admin, "acme", 10);

        var (status, body) = await client.PostAsync("/events", """{"customer_id":"acme","event_type":"a","units":15}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("recorded", (string)body["status"]!);
        Assert.True((bool)body["overrun"]!);
        Assert.Equal(15, await UsedAsync(client, "acme"));
        Assert.False((bool)(await client.PostAsync("/preflight", """{"agent_id":"a","customer_id":"acme"}""")).Body["approved"]!);
    }

    [Fact]
    public async Task Usage_missing_charges_at_least_what_was_held()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;
        var id = (string)(await client.PostAsync("/preflight", """{"agent_id":"a","estimated_units":12}""")).Body["reservation_id"]!;

        await client.PostAsync("/events", $$"""{"event_type":"a","units":0,"usage_missing":true,"reservation_id":"{{id}}"}""");

        Assert.Equal(12, await UsedAsync(client, "default"));
    }

    [Fact]
    public async Task A_repeated_preflight_key_replays_the_first_answer_and_holds_once()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;
        await SetLimitAsync(admin, "acme", 100);
        const string Request = """{"agent_id":"a","customer_id":"acme","estimated_units":30,"idempotency_key":"k-1"}""";

        var first = await client.PostAsync("/preflight", Request);
        var second = await client.PostAsync("/preflight", Request);

        Assert.Equal(first.Status, second.Status);
        Assert.Equal((string)first.Body["reservation_id"]!, (string)second.Body["reservation_id"]!);
        Assert.Equal(30, (long)(await client.GetAsync("/budget?customer_id=acme")).Body["reserved"]!);

        var (conflict, body) = await client.PostAsync("/preflight", """{"agent_id":"a","customer_id":"acme","estimated_units":31,"idempotency_key":"k-1"}""");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("idempotency_conflict", (string)body["error"]!);
    }

    [Fact]
    public async Task A_repeated_key_replays_a_refusal_even_after_the_budget_grew()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;
        await SetLimitAsync(admin, "acme", 10);
        const string Request = """{"agent_id":"a","customer_id":"acme","estimated_units":20,"idempotency_key":"k-2"}""";
        Assert.False((bool)(await client.PostAsync("/preflight", Request)).Body["approved"]!);

        await SetLimitAsync(admin, "acme", 100);
        var (status, replay) = await client.PostAsync("/preflight", Request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((bool)replay["approved"]!);
        Assert.Equal("budget_exhausted", (string)replay["reason"]!);
        Assert.Equal(0, (long)(await client.GetAsync("/budget?customer_id=acme")).Body["reserved"]!);
    }

    [Fact]
    public async Task Setting_a_customer_limit_needs_an_admin_key()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync("/budget", """{"customer_id":"acme","limit_units":5}""")).Status);
        var (status, body) = await admin.PutAsync("/budget", """{"customer_id":"acme","limit_units":5,"period":"day"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, (long)body["limit"]!);
        Assert.Equal("day", (string)body["period"]!);
        Assert.Null((await admin.PutAsync("/budget", """{"customer_id":"acme","limit_units":null}""")).Body["limit"]);
    }

    [Fact]
    public async Task An_unknown_customer_reads_as_an_empty_budget_not_404()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;

        var (status, body) = await client.GetAsync("/budget?customer_id=nobody");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("nobody", (string)body["customer_id"]!);
        Assert.Null(body["limit"]);
        Assert.Equal(0, (long)body["used"]!);
        Assert.False((bool)body["is_blocked"]!);
    }

    [Fact]
    public async Task A_checkpoint_reads_and_holds_nothing()
    {
        var (server, client, admin) = await StartAsync();
        await using var owned = server;
        await SetLimitAsync(admin, "acme", 50);

        var (_, within) = await client.PostAsync("/checkpoint", """{"agent_id":"a","units_so_far":10,"ceiling":20,"customer_id":"acme"}""");
        var (_, over) = await client.PostAsync("/checkpoint", """{"agent_id":"a","units_so_far":21,"ceiling":20,"customer_id":"acme"}""");

        Assert.True((bool)within["approved"]!);
        Assert.Equal(50, (long)within["remaining_units"]!);
        Assert.Equal(10, (long)within["units_so_far"]!);
        Assert.False((bool)over["approved"]!);
        Assert.Equal("ceiling_exceeded", (string)over["reason"]!);
        var budget = (await client.GetAsync("/budget?customer_id=acme")).Body;
        Assert.Equal(0, (long)budget["used"]!);
        Assert.Equal(0, (long)budget["reserved"]!);
    }

    [Fact]
    public async Task Health_is_anonymous_and_ok_when_the_store_answers()
    {
        var (server, _, _) = await StartAsync();
        await using var owned = server;
        using var anonymous = new ProtocolClient(server.CreateClient(null));

        var (status, body) = await anonymous.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", (string)body["status"]!);
    }

    [Fact]
    public async Task The_protocol_needs_a_key()
    {
        var (server, _, _) = await StartAsync();
        await using var owned = server;
        using var anonymous = new ProtocolClient(server.CreateClient(null));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/preflight", """{"agent_id":"a"}""")).Status);
    }

    [Fact]
    public async Task A_hold_is_extended_topped_up_and_released_by_the_extensions()
    {
        var (server, client, _) = await StartAsync();
        await using var owned = server;
        var preflight = (await client.PostAsync("/preflight", """{"agent_id":"a","estimated_units":5,"ttl_seconds":60}""")).Body;
        var id = (string)preflight["reservation_id"]!;
        var expires = DateTimeOffset.Parse((string)preflight["reservation_expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);

        var extended = (await client.PostAsync($"/reservations/{id}/extend", """{"ttl_seconds":3600}""")).Body;
        Assert.True(DateTimeOffset.Parse((string)extended["reservation_expires_at"]!, System.Globalization.CultureInfo.InvariantCulture) > expires);
        var topped = (await client.PostAsync($"/reservations/{id}/topup", """{"units":5}""")).Body;
        Assert.True((bool)topped["approved"]!);
        Assert.Equal(10, (long)(await client.GetAsync("/budget")).Body["reserved"]!);
        Assert.True((bool)(await client.PostAsync($"/reservations/{id}/release", "{}")).Body["released_hold"]!);
        Assert.Equal(0, (long)(await client.GetAsync("/budget")).Body["reserved"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/reservations/{id}/extend", "{}")).Status);
    }
}
