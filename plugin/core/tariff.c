/* tariff.c: parking tariff and billing arithmetic in integer tiyn. */
#include "tariff.h"

#include <stdio.h>

static tiyn_t clamp_money(tiyn_t v)
{
    if (v < 0)
        return 0;
    return v > TARIFF_MAX ? TARIFF_MAX : v;
}

/* a*b for a, b >= 0, clamped to TARIFF_MAX without overflowing. */
static tiyn_t mul_clamped(int64_t a, int64_t b)
{
    if (a <= 0 || b <= 0)
        return 0;
    if (a > TARIFF_MAX / b)
        return TARIFF_MAX;
    return clamp_money(a * b);
}

tiyn_t tariff_prepay(tiyn_t rate_per_hour, int hours)
{
    return mul_clamped(rate_per_hour, hours);
}

int64_t tariff_started_minutes(time_t start, time_t stop)
{
    uint64_t seconds;

    if (stop <= start)
        return 0;
    /* Unsigned difference: exact even when stop - start overflows int64. */
    seconds = (uint64_t)(int64_t)stop - (uint64_t)(int64_t)start;
    return (int64_t)(seconds / 60 + (seconds % 60 != 0));
}

/* ceil(rate*m/60) = q*m + r*a + ceil(r*b/60) with rate = 60q + r and
 * m = 60a + b: no term can overflow before it is clamped. */
tiyn_t tariff_cost(tiyn_t rate_per_hour, int64_t started_minutes)
{
    int64_t q, r, a, b;
    tiyn_t sum;

    if (rate_per_hour <= 0 || started_minutes <= 0)
        return 0;
    q = rate_per_hour / 60;
    r = rate_per_hour % 60;
    a = started_minutes / 60;
    b = started_minutes % 60;
    sum = mul_clamped(q, started_minutes) + mul_clamped(r, a) + (r * b + 59) / 60;
    return clamp_money(sum);
}

struct debit_plan tariff_plan_debit(tiyn_t amount, tiyn_t account_balance)
{
    struct debit_plan p;

    p.amount = clamp_money(amount);
    account_balance = clamp_money(account_balance);
    p.from_account = account_balance < p.amount ? account_balance : p.amount;
    p.from_payment = p.amount - p.from_account;
    p.needs_confirmation = p.from_payment > 0;
    return p;
}

struct stop_bill tariff_stop(tiyn_t rate_per_hour, tiyn_t prepaid, time_t start, time_t stop)
{
    struct stop_bill b;
    tiyn_t full;

    prepaid = clamp_money(prepaid);
    b.minutes = tariff_started_minutes(start, stop);
    full = tariff_cost(rate_per_hour, b.minutes);
    b.cost = full < prepaid ? full : prepaid;
    b.to_account = prepaid - b.cost;
    return b;
}

int tariff_extension_allowed(time_t start, time_t paid_until, int hours, int max_hours)
{
    uint64_t paid, limit, more;

    if (hours < 1 || max_hours < 1 || paid_until < start)
        return 0;
    paid = (uint64_t)(int64_t)paid_until - (uint64_t)(int64_t)start;
    limit = (uint64_t)max_hours * 3600u;
    more = (uint64_t)hours * 3600u;
    return paid <= limit && more <= limit - paid;
}

int tariff_format_money(tiyn_t amount, char *buf, size_t size)
{
    /* Unsigned magnitude: correct for INT64_MIN too. */
    uint64_t mag = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    const char *sign = amount < 0 ? "-" : "";
    unsigned long long tenge = mag / 100, cents = mag % 100;

    if (cents == 0)
        return snprintf(buf, size, "%s%llu", sign, tenge);
    return snprintf(buf, size, "%s%llu.%02llu", sign, tenge, cents);
}
