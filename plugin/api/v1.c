/* v1.c: the /v1/ routes: enforcement (enforce.h) and the portal (portal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "portal.h"

#define I ROLE_INSPECTOR
#define O ROLE_OPERATOR
#define F ROLE_FINES
#define P ROLE_PORTAL

/* A time from the query or body ("at", "since"): RFC 3339, local or @epoch; default now. */
static int time_arg(const struct api_request *rq, struct api_response *rs, const char *name,
                    const char *text, time_t def, time_t *out)
{
    if (text == NULL) {
        *out = def;
        return 0;
    }
    if (en_parse_time(rq->cfg->enforce, text, out) == 0)
        return 0;
    api_error(rs, 400, "bad %s '%.40s': use RFC 3339 (2026-06-16T10:00:00+05:00), local "
              "time (2026-06-16T10:00) or @EPOCH", name, text);
    return -1;
}

static int zone_arg(struct api_response *rs, const char *text, int *zone)
{
    *zone = -1;
    if (text == NULL || en_parse_zone(text, zone) == 0)
        return 0;
    api_error(rs, 400, "bad zone '%.20s': a zone is a number of up to 4 digits", text);
    return -1;
}

static void zones_all(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;

    api_answer(rs, enforce_zones(rq->cfg->enforce, -1, &out, &err), &out, &err);
}

static void zone_one(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;
    int zone;

    if (en_parse_zone(rq->params[0], &zone) != 0)
        return api_error(rs, 404, "no zone '%.20s'", rq->params[0]);
    api_answer(rs, enforce_zones(rq->cfg->enforce, zone, &out, &err), &out, &err);
}

static void validate(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;

    api_answer(rs, enforce_validate(rq->cfg->enforce, api_query(rq, "zone"), api_query(rq, "plate"),
                                    &out, &err), &out, &err);
}

static void check(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;
    const char *plate = api_query(rq, "plate");
    int zone;
    time_t at;

    if (plate == NULL)
        return api_error(rs, 400, "plate is required");
    if (zone_arg(rs, api_query(rq, "zone"), &zone) != 0 ||
        time_arg(rq, rs, "at", api_query(rq, "at"), rq->cfg->now(), &at) != 0)
        return;
    api_answer(rs, enforce_check(rq->cfg->enforce, plate, zone, at, &out, &err), &out, &err);
}

/* The sighting's fields from the body; -1 after 400. */
static int sighting_fields(const struct api_request *rq, struct api_response *rs, json_t *b,
                           struct en_sighting *s)
{
    json_t *zone = json_object_get(b, "zone"), *lon = json_object_get(b, "lon"),
           *lat = json_object_get(b, "lat");

    *s = (struct en_sighting){ .plate = json_string_value(json_object_get(b, "plate")), .zone = -1,
        .source = json_string_value(json_object_get(b, "source")),
        .device = json_string_value(json_object_get(b, "device")),
        .device_ref = json_string_value(json_object_get(b, "device_ref")) };
    if (s->plate == NULL)
        return api_error(rs, 400, "plate (a string) is required"), -1;
    if (zone != NULL && (!json_is_integer(zone) || json_integer_value(zone) < 0 ||
                         json_integer_value(zone) > 9999))
        return api_error(rs, 400, "zone must be a number from 0 to 9999"), -1;
    if (zone != NULL)
        s->zone = (int)json_integer_value(zone);
    if ((lon != NULL) != (lat != NULL) || (lon && (!json_is_number(lon) || !json_is_number(lat))))
        return api_error(rs, 400, "lon and lat are numbers and go together"), -1;
    if (lon != NULL) {
        s->has_point = 1;
        s->lon = json_number_value(lon);
        s->lat = json_number_value(lat);
    }
    if (s->device == NULL || s->device_ref == NULL)
        return api_error(rs, 400, "device and device_ref (strings) are required: they make a "
                         "repeated sighting harmless"), -1;
    return time_arg(rq, rs, "seen_at", json_string_value(json_object_get(b, "seen_at")),
                    rq->cfg->now(), &s->at);
}

static void sight(struct api_request *rq, struct api_response *rs)
{
    json_t *b = api_body(rq, rs), *out = NULL;
    struct en_sighting s;
    struct en_error err;
    enum en_status st;

    if (b == NULL)
        return;
    if (sighting_fields(rq, rs, b, &s) == 0) {
        if (s.source == NULL)
            s.source = rq->key_name;
        st = enforce_sight(rq->cfg->enforce, &s, &out, &err);
        api_answer(rs, st, &out, &err);
        if (st == EN_OK && json_is_true(json_object_get(out, "created")))
            rs->status = 201;
    }
    json_decref(b);
}

/* The violations as CSV, one row each, with the evidence's sighting ids. */
static char *violations_csv(json_t *list)
{
    size_t cap = 256 + json_array_size(list) * 320, len = 0;
    char *buf = malloc(cap);
    size_t i;
    json_t *v;

    len += (size_t)snprintf(buf, cap, "id,plate,zone,first_seen,last_seen,unpaid_from,sightings,"
                            "status,first_sighting,last_sighting,fine_ref\n");
    json_array_foreach(list, i, v) {
        json_t *ev = json_object_get(v, "evidence");
        len += (size_t)snprintf(buf + len, cap - len, "%lld,%s,%lld,%s,%s,%s,%lld,%s,%lld,%lld,%s\n",
            json_integer_value(json_object_get(v, "id")), json_string_value(json_object_get(v, "plate")),
            json_integer_value(json_object_get(v, "zone")), json_string_value(json_object_get(v, "first_seen")),
            json_string_value(json_object_get(v, "last_seen")), json_string_value(json_object_get(v, "unpaid_from")),
            json_integer_value(json_object_get(v, "sightings")), json_string_value(json_object_get(v, "status")),
            json_integer_value(json_object_get(json_object_get(ev, "first"), "sighting")),
            json_integer_value(json_object_get(json_object_get(ev, "last"), "sighting")),
            json_is_string(json_object_get(v, "fine_ref")) ? json_string_value(json_object_get(v, "fine_ref")) : "");
    }
    return buf;
}

static void violations(struct api_request *rq, struct api_response *rs)
{
    const char *status = api_query(rq, "status"), *fmt = api_query(rq, "format"),
               *after = api_query(rq, "after");
    json_t *out = NULL;
    struct en_error err;
    int limit, offset;
    time_t since;
    enum en_status st;

    if (status && strcmp(status, "open") != 0 && strcmp(status, "sent") != 0 &&
        strcmp(status, "paid") != 0 && strcmp(status, "cancelled") != 0)
        return api_error(rs, 400, "status must be open, sent, paid or cancelled");
    if (api_paging(rq, rs, 100, 1000, &limit, &offset) != 0 ||
        time_arg(rq, rs, "since", api_query(rq, "since"), 0, &since) != 0)
        return;
    st = enforce_violations(rq->cfg->enforce, since, status, api_query(rq, "plate"),
                            after ? strtoll(after, NULL, 10) : 0, limit, &out, &err);
    if (st == EN_OK && fmt != NULL && strcmp(fmt, "csv") == 0) {
        rs->status = 200;
        rs->text = violations_csv(json_object_get(out, "violations"));
        rs->content_type = "text/csv; charset=utf-8";
        json_decref(out);
        return;
    }
    api_answer(rs, st, &out, &err);
}

static void hand_over(struct api_request *rq, struct api_response *rs)
{
    json_t *b = api_body(rq, rs), *out = NULL;
    struct en_error err;
    char *end;
    long long id = strtoll(rq->params[0], &end, 10);
    const char *ref;

    if (b == NULL)
        return;
    ref = json_string_value(json_object_get(b, "fine_ref"));
    if (*end != '\0' || id <= 0)
        api_error(rs, 404, "no violation '%.20s'", rq->params[0]);
    else if (ref == NULL || ref[0] == '\0' || strlen(ref) > 100)
        api_error(rs, 400, "fine_ref (the fines system's id, up to 100 characters) is required");
    else
        api_answer(rs, enforce_hand_over(rq->cfg->enforce, id, rq->key_name, ref, &out, &err), &out, &err);
    json_decref(b);
}

static void sessions(struct api_request *rq, struct api_response *rs)
{
    const char *plate = api_query(rq, "plate"), *msisdn = api_query(rq, "msisdn");
    json_t *out = NULL;
    struct en_error err;
    int limit, offset;

    if ((plate == NULL) == (msisdn == NULL))
        return api_error(rs, 400, "give plate or msisdn");
    if (api_paging(rq, rs, 20, 200, &limit, &offset) != 0)
        return;
    api_answer(rs, enforce_sessions(rq->cfg->enforce, plate, msisdn, limit, offset, &out, &err),
               &out, &err);
}

static void account(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;

    api_answer(rs, enforce_account(rq->cfg->enforce, rq->params[0], &out, &err), &out, &err);
}

static void accounts_by_plate(struct api_request *rq, struct api_response *rs)
{
    const char *plate = api_query(rq, "plate");
    json_t *out = NULL;
    struct en_error err;

    if (plate == NULL)
        return api_error(rs, 400, "give plate (or GET /v1/accounts/MSISDN)");
    api_answer(rs, enforce_accounts_by_plate(rq->cfg->enforce, plate, &out, &err), &out, &err);
}

static void adjust(struct api_request *rq, struct api_response *rs)
{
    json_t *b = api_body(rq, rs), *out = NULL, *amount;
    struct en_error err;
    const char *kind, *reason, *key, *op;

    if (b == NULL)
        return;
    amount = json_object_get(b, "amount_tiyn");
    kind = json_string_value(json_object_get(b, "kind"));
    reason = json_string_value(json_object_get(b, "reason"));
    key = json_string_value(json_object_get(b, "key"));
    op = json_string_value(json_object_get(b, "operator"));
    if (!json_is_integer(amount) || kind == NULL || reason == NULL || key == NULL)
        api_error(rs, 400, "kind, amount_tiyn (whole tiyn), reason and key are required");
    else
        api_answer(rs, enforce_adjust(rq->cfg->enforce, rq->params[0], kind, json_integer_value(amount),
                                      reason, op ? op : rq->key_name, key, &out, &err), &out, &err);
    if (rs->status == 200 && json_is_true(json_object_get(rs->json, "created")))
        rs->status = 201;
    json_decref(b);
}

static void portal_method(struct api_request *rq, struct api_response *rs)
{
    json_t *b = api_body(rq, rs), *out = NULL;
    struct en_error err;

    if (b == NULL)
        return;
    api_answer(rs, portal_method_set(rq->cfg->enforce, rq->params[0],
                                     json_string_value(json_object_get(b, "method")),
                                     json_string_value(json_object_get(b, "token")),
                                     json_string_value(json_object_get(b, "last4")), &out, &err),
               &out, &err);
    json_decref(b);
}

static void portal_bal(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;

    api_answer(rs, portal_balance(rq->cfg->enforce, rq->params[0], &out, &err), &out, &err);
}

static void portal_hist(struct api_request *rq, struct api_response *rs)
{
    json_t *out = NULL;
    struct en_error err;
    int limit, offset;

    if (api_paging(rq, rs, 20, 200, &limit, &offset) != 0)
        return;
    api_answer(rs, portal_history(rq->cfg->enforce, rq->params[0], rq->params[1], limit, offset,
                                  &out, &err), &out, &err);
}

const struct api_route api_routes[] = {
    { "GET", "/v1/zones", I | O | F, zones_all },
    { "GET", "/v1/zones/{}", I | O | F, zone_one },
    { "GET", "/v1/validate", I | O, validate },
    { "GET", "/v1/check", I | O, check },
    { "POST", "/v1/sightings", I, sight },
    { "GET", "/v1/violations", O | F, violations },
    { "POST", "/v1/violations/{}/handover", F, hand_over },
    { "GET", "/v1/sessions", O, sessions },
    { "GET", "/v1/accounts", O, accounts_by_plate },
    { "GET", "/v1/accounts/{}", O, account },
    { "POST", "/v1/accounts/{}/adjustments", O, adjust },
    { "PUT", "/v1/portal/subscribers/{}/payment-method", P, portal_method },
    { "GET", "/v1/portal/subscribers/{}/balance", P, portal_bal },
    { "GET", "/v1/portal/subscribers/{}/history/{}", P, portal_hist },
    { NULL, NULL, 0, NULL },
};
