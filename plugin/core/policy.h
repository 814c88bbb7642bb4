/* policy.h: when parking in a zone is paid and at what rate: the zone's tariff policies, the
 * holiday calendar and local time, and the billing of paid time, as pure functions.
 *
 * Pure core: no I/O, no clock, no allocation, no global state. Every array is borrowed and only
 * read; the caller fills them (the store from tariff_policies, tariff_policy_spans and
 * holidays, sql/0008_policies.sql; tests by hand). Times are time_t UTC seconds; local dates
 * and times come from the zone table (localtime.h), so Asia/Almaty is read from tzdata.
 * Thread-safety: every function may be called from several threads on the same set.
 *
 * The rules, exactly:
 *  - A span matches the instant t when t's local weekday is in `days`, t's local time of day
 *    lies in [start_min, end_min) (minutes after local midnight; end_min 1440 is midnight at
 *    the end of the day; a span never wraps past midnight: a night is two spans), and t's
 *    local date lies in [date_from, date_to] (yyyymmdd, both inclusive; 0 = unbounded).
 *  - A policy applies at t when one of its spans matches (a policy without spans matches
 *    always), unless holidays_free is set and t's local date is in the holiday list.
 *  - Of the policies that apply, the one with the lowest `priority` number decides (as the
 *    Curb Data Specification defines); on equal priority the earlier in the array. Parking is
 *    paid at its rate when that rate is above 0; free when it is 0 or nothing applies.
 *  - Paid time is counted in seconds. Billing counts started minutes on the session's own
 *    paid clock: minute k covers paid seconds [60k, 60k + 60) of the session, wherever free
 *    time falls in between, and is billed at the rate in force at its first second. The cost
 *    is, for each rate r, ceil(r * minutes_at_r / 60); the sum over the rates. So a session
 *    whose paid time never changes rate costs tariff_cost(rate, ceil(paid seconds / 60)), as
 *    before; at a rate change 100 -> 150 tenge/h at 12:00, a start at 11:30:20 bills the
 *    minute beginning at 11:59:20 at 100 and the next one, beginning at 12:00:20, at 150: the
 *    minutes never add up to more than ceil(paid seconds / 60).
 *  - Buying N hours buys N * 3600 paid seconds: the end walks over free time (3 h bought at
 *    19:00 on a Saturday with paid hours Monday to Saturday 08:00-20:00 run until 10:00 on
 *    Monday) and the price is the bill of the whole purchase, so stopping at the end costs
 *    exactly what was paid. Bought during free time, the hours begin when paid time begins:
 *    the core allows prepaying the next paid window; the dialogue decides whether to offer it.
 *  - The 15-minute rule counts paid time only: a stay that begins during free time has used
 *    up its grace at policy_paid_end(set, arrival, grace).
 *
 * Limits: at most POLICY_MAX policies (more is a programming error: assert). Walking looks at
 * most POLICY_HORIZON seconds ahead; a function that finds no paid time within it says so.
 */
#ifndef PARK_POLICY_H
#define PARK_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "localtime.h"
#include "tariff.h"

#define POLICY_MAX 32
#define POLICY_HORIZON ((time_t)400 * 86400)   /* how far the walking functions look */

enum policy_day {                          /* bits of policy_span.days */
    POLICY_MON = 1 << 0, POLICY_TUE = 1 << 1, POLICY_WED = 1 << 2, POLICY_THU = 1 << 3,
    POLICY_FRI = 1 << 4, POLICY_SAT = 1 << 5, POLICY_SUN = 1 << 6,
    POLICY_EVERY_DAY = 0x7f
};

struct policy_span {
    unsigned days;              /* enum policy_day bits; 0 matches no day */
    int start_min, end_min;     /* local minutes after midnight, 0 <= start < end <= 1440 */
    int32_t date_from, date_to; /* local dates yyyymmdd, inclusive; 0: unbounded */
};

struct policy {
    long id;                    /* the caller's identifier (tariff_policies.id), echoed back */
    int priority;               /* lower number wins */
    tiyn_t rate;                /* tiyn per hour; 0: free */
    int holidays_free;          /* 1: does not apply on the holidays */
    const struct policy_span *spans;
    size_t nspans;              /* 0: applies at every time */
};

struct policy_set {
    const struct policy *policies;
    size_t npolicies;           /* at most POLICY_MAX */
    const int32_t *holidays;    /* local dates yyyymmdd, any order */
    size_t nholidays;
    const struct local_zone *zone;
};

struct policy_state {
    int paid;                   /* 1 when parking is paid at t */
    tiyn_t rate;                /* the rate in force, 0 when free */
    int policy;                 /* index of the deciding policy, -1 when none applies */
    time_t until;               /* the next instant at which the state may change (> t) */
};

/* The state at t: paid or free, the rate, which policy decides and until when nothing can
 * change: the next edge of a span in force that day, else the next local midnight, or a change
 * of the zone's offset if that comes first (the state on the other side may be the same).
 * Returns st->paid. */
int policy_at(const struct policy_set *s, time_t t, struct policy_state *st);

/* Paid seconds in [from, to): 0 when to <= from. */
int64_t policy_paid_seconds(const struct policy_set *s, time_t from, time_t to);

/* The instant at which `paid` paid seconds from `from` on are used up: for N hours bought,
 * paid = N * 3600 (the end of the session); for the grace period, paid = grace. paid <= 0
 * gives from. Returns (time_t)-1 when the horizon holds less paid time than that. */
time_t policy_paid_end(const struct policy_set *s, time_t from, int64_t paid);

/* When paid time next begins: t itself when paid at t; else the first paid instant after t
 * (for "free until HH:MM"); (time_t)-1 when no paid time lies within the horizon. */
time_t policy_next_paid(const struct policy_set *s, time_t t);

/* When the current paid time ends: the first free instant at or after t (t itself when free
 * at t), (time_t)-1 when it stays paid over the whole horizon. */
time_t policy_next_free(const struct policy_set *s, time_t t);

struct policy_bill {
    int64_t paid_seconds;       /* paid time in [start, stop) */
    int64_t minutes;            /* started paid minutes: ceil(paid_seconds / 60) */
    tiyn_t cost;                /* sum over the rates of ceil(rate * minutes at it / 60) */
};

/* The bill of a session from start to stop (the rules above). stop <= start costs nothing. */
struct policy_bill policy_bill(const struct policy_set *s, time_t start, time_t stop);

struct policy_purchase {
    time_t paid_from;           /* when the bought time begins (start, or when paid time begins) */
    time_t paid_until;          /* when it ends */
    tiyn_t amount;              /* the price: policy_bill(start, paid_until).cost */
};

/* N paid hours bought at start. Returns 0, or -1 (out untouched) when hours < 1 or the
 * horizon holds less paid time than that. */
int policy_buy(const struct policy_set *s, time_t start, int hours, struct policy_purchase *out);

/* Stopping early: cost = min(prepaid, policy_bill(start, stop).cost), the rest to the parking
 * account; minutes = the bill's started paid minutes. Negative prepaid counts as 0. */
struct stop_bill policy_stop(const struct policy_set *s, tiyn_t prepaid, time_t start,
                             time_t stop);

enum policy_lang { POLICY_LANG_RU, POLICY_LANG_KK, POLICY_LANG_EN };

/* The paid hours as a short text for replies: the spans of the policies with a rate above 0,
 * days as ranges, e.g. "пн–сб 08:00–20:00" (ru), "дс–сб 08:00–20:00" (kk), "Mon-Sat
 * 08:00-20:00" (en, a hyphen to stay in the GSM alphabet); several spans joined by ", ", duplicates once; "08:00–20:00" alone when
 * every day; "круглосуточно" / "тәулік бойы" / "24 h" for a paid span without bounds; an empty
 * text when nothing is paid. Dates and holidays are not mentioned. Returns the length the
 * whole text needs (snprintf-like: truncated at a UTF-8 character boundary, NUL-terminated
 * when size > 0). */
size_t policy_format_hours(const struct policy_set *s, enum policy_lang lang, char *buf,
                           size_t size);

/* A local date as yyyymmdd at t (e.g. 20270101), and the weekday bit (enum policy_day). */
int32_t policy_local_date(const struct local_zone *z, time_t t, unsigned *weekday);

#endif
