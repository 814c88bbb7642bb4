/* policy.c: paid and free time from a zone's tariff policies and holidays; billing of paid
 * time over rate changes (the rules: policy.h). */
#include "policy.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

/* ---- local calendar --------------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 -> yyyymmdd (proleptic Gregorian; H. Hinnant's civil_from_days). */
static int32_t date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (int32_t)(y * 10000 + m * 100 + d);
}

struct local_moment {
    int32_t date;               /* yyyymmdd */
    unsigned weekday;           /* enum policy_day bit */
    int64_t sod;                /* seconds after local midnight */
    int offset;                 /* the zone's offset at t */
};

static struct local_moment local_moment(const struct local_zone *z, time_t t)
{
    struct local_moment m;
    m.offset = localtime_offset(z, t);
    int64_t lt = (int64_t)t + m.offset;
    int64_t days = floor_div(lt, DAY);
    m.sod = lt - days * DAY;
    m.date = date_from_days(days);
    m.weekday = 1u << (unsigned)(days + 3 - floor_div(days + 3, 7) * 7);   /* 1970-01-01: Thu */
    return m;
}

int32_t policy_local_date(const struct local_zone *z, time_t t, unsigned *weekday)
{
    struct local_moment m = local_moment(z, t);
    if (weekday != NULL)
        *weekday = m.weekday;
    return m.date;
}

/* The first change of the zone's offset after t; beyond the horizon when there is none. */
static time_t next_transition(const struct local_zone *z, time_t t)
{
    for (int i = 0; i < z->n; i++)
        if (z->start[i] > t)
            return z->start[i];
    return t + POLICY_HORIZON;
}

/* ---- which policy applies --------------------------------------------------------------- */

static int is_holiday(const struct policy_set *s, int32_t date)
{
    for (size_t i = 0; i < s->nholidays; i++)
        if (s->holidays[i] == date)
            return 1;
    return 0;
}

static int span_matches(const struct policy_span *sp, const struct local_moment *m)
{
    return (sp->days & m->weekday) != 0
        && m->sod >= (int64_t)sp->start_min * 60 && m->sod < (int64_t)sp->end_min * 60
        && (sp->date_from == 0 || m->date >= sp->date_from)
        && (sp->date_to == 0 || m->date <= sp->date_to);
}

static int policy_applies(const struct policy *p, const struct local_moment *m, int holiday)
{
    if (p->holidays_free && holiday)
        return 0;
    if (p->nspans == 0)
        return 1;
    for (size_t i = 0; i < p->nspans; i++)
        if (span_matches(&p->spans[i], m))
            return 1;
    return 0;
}

/* The earliest edge after m.sod of a span in force on m's day, as seconds after local midnight
   (DAY when none comes before the next midnight). */
static int64_t next_edge(const struct policy_set *s, const struct local_moment *m, int holiday)
{
    int64_t next = DAY;
    for (size_t i = 0; i < s->npolicies; i++) {
        const struct policy *p = &s->policies[i];
        for (size_t j = 0; !(p->holidays_free && holiday) && j < p->nspans; j++) {
            const struct policy_span *sp = &p->spans[j];
            int64_t a = (int64_t)sp->start_min * 60, b = (int64_t)sp->end_min * 60;
            if (!(sp->days & m->weekday) || (sp->date_from != 0 && m->date < sp->date_from)
                || (sp->date_to != 0 && m->date > sp->date_to))
                continue;
            if (a > m->sod && a < next)
                next = a;
            if (b > m->sod && b < next)
                next = b;
        }
    }
    return next;
}

int policy_at(const struct policy_set *s, time_t t, struct policy_state *st)
{
    assert(s != NULL && s->zone != NULL && s->npolicies <= POLICY_MAX);
    struct local_moment m = local_moment(s->zone, t);
    int holiday = is_holiday(s, m.date);
    int best = -1;

    for (size_t i = 0; i < s->npolicies; i++)
        if (policy_applies(&s->policies[i], &m, holiday)
            && (best < 0 || s->policies[i].priority < s->policies[best].priority))
            best = (int)i;
    st->policy = best;
    st->rate = best >= 0 && s->policies[best].rate > 0 ? s->policies[best].rate : 0;
    st->paid = st->rate > 0;
    st->until = t + (time_t)(next_edge(s, &m, holiday) - m.sod);
    time_t tr = next_transition(s->zone, t);
    if (tr < st->until)
        st->until = tr;
    return st->paid;
}

/* ---- walking over time ------------------------------------------------------------------ */

int64_t policy_paid_seconds(const struct policy_set *s, time_t from, time_t to)
{
    struct policy_state st;
    int64_t sum = 0;

    for (time_t t = from; t < to; t = st.until) {
        policy_at(s, t, &st);
        if (st.until > to)
            st.until = to;
        if (st.paid)
            sum += st.until - t;
    }
    return sum;
}

time_t policy_paid_end(const struct policy_set *s, time_t from, int64_t paid)
{
    struct policy_state st;

    if (paid <= 0)
        return from;
    for (time_t t = from; t < from + POLICY_HORIZON; t = st.until) {
        if (policy_at(s, t, &st)) {
            if (paid <= st.until - t)
                return t + (time_t)paid;
            paid -= st.until - t;
        }
    }
    return (time_t)-1;
}

/* The first instant at or after t whose paid state is `paid`, or -1 within the horizon. */
static time_t next_state(const struct policy_set *s, time_t t, int paid)
{
    struct policy_state st;

    for (time_t u = t; u < t + POLICY_HORIZON; u = st.until)
        if (policy_at(s, u, &st) == paid)
            return u;
    return (time_t)-1;
}

time_t policy_next_paid(const struct policy_set *s, time_t t)
{
    return next_state(s, t, 1);
}

time_t policy_next_free(const struct policy_set *s, time_t t)
{
    return next_state(s, t, 0);
}

/* ---- billing ---------------------------------------------------------------------------- */

static int64_t ceil_minutes(int64_t seconds)
{
    return seconds / 60 + (seconds % 60 != 0);
}

struct policy_bill policy_bill(const struct policy_set *s, time_t start, time_t stop)
{
    struct policy_bill b = { 0, 0, 0 };
    tiyn_t rates[POLICY_MAX];
    int64_t minutes[POLICY_MAX];
    size_t nrates = 0;
    struct policy_state st;

    for (time_t t = start; t < stop; t = st.until) {
        int paid = policy_at(s, t, &st);
        if (st.until > stop)
            st.until = stop;
        if (!paid)
            continue;
        int64_t len = st.until - t;
        /* minutes of the session's paid clock that begin in [p, p + len) */
        int64_t m = ceil_minutes(b.paid_seconds + len) - ceil_minutes(b.paid_seconds);
        size_t i = 0;
        while (i < nrates && rates[i] != st.rate)
            i++;
        if (i == nrates) {
            rates[nrates] = st.rate;
            minutes[nrates++] = 0;
        }
        minutes[i] += m;
        b.paid_seconds += len;
    }
    for (size_t i = 0; i < nrates; i++) {
        b.minutes += minutes[i];
        b.cost += tariff_cost(rates[i], minutes[i]);
        if (b.cost > TARIFF_MAX)
            b.cost = TARIFF_MAX;
    }
    return b;
}

int policy_buy(const struct policy_set *s, time_t start, int hours, struct policy_purchase *out)
{
    if (hours < 1)
        return -1;
    time_t from = policy_next_paid(s, start);
    time_t until = policy_paid_end(s, start, (int64_t)hours * 3600);
    if (from == (time_t)-1 || until == (time_t)-1)
        return -1;
    out->paid_from = from;
    out->paid_until = until;
    out->amount = policy_bill(s, start, until).cost;
    return 0;
}

struct stop_bill policy_stop(const struct policy_set *s, tiyn_t prepaid, time_t start,
                             time_t stop)
{
    struct policy_bill b = policy_bill(s, start, stop);
    struct stop_bill r;

    if (prepaid < 0)
        prepaid = 0;
    r.minutes = b.minutes;
    r.cost = b.cost < prepaid ? b.cost : prepaid;
    r.to_account = prepaid - r.cost;
    return r;
}
