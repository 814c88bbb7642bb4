/* tariff.h: parking tariff and billing arithmetic in integer tiyn (1/100 tenge).
 *
 * Pure functions: no I/O, no allocation, no floating point, no global state.
 * All money is tiyn_t (int64_t tiyn); time is time_t UTC seconds.
 *
 * Negative or absurd inputs never overflow: rates, hours, minutes and balances
 * below zero are treated as zero, and results that would not fit are clamped to
 * TARIFF_MAX (see each function). Callers should validate inputs anyway (the
 * command parser bounds hours by max_hours; zone rates come from the store). */
#ifndef PARK_TARIFF_H
#define PARK_TARIFF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int64_t tiyn_t;

/* The largest amount any function here returns (clamping limit): 10^15 tiyn. */
#define TARIFF_MAX ((tiyn_t)1000000000000000LL)

/* rate*hours. Negative rate or hours count as 0; clamped to TARIFF_MAX. */
tiyn_t tariff_prepay(tiyn_t rate_per_hour, int hours);

/* Started minutes between start and stop: ceil((stop-start)/60), >= 0.
 * stop <= start gives 0; 1 s gives 1; 60 s gives 1; 61 s gives 2. */
int64_t tariff_started_minutes(time_t start, time_t stop);

/* ceil(rate*minutes/60). Negative rate or minutes count as 0; computed without
 * intermediate overflow; clamped to TARIFF_MAX. */
tiyn_t tariff_cost(tiyn_t rate_per_hour, int64_t started_minutes);

struct debit_plan {
    tiyn_t amount;          /* the full price */
    tiyn_t from_account;    /* taken from the parking account */
    tiyn_t from_payment;    /* charged to the payment method */
    int needs_confirmation; /* from_payment > 0 */
};

/* Applies the parking-account credit to a debit: from_account =
 * min(amount, balance), from_payment = the rest. Negative amount or balance
 * count as 0. A debit the account covers entirely needs no confirmation. */
struct debit_plan tariff_plan_debit(tiyn_t amount, tiyn_t account_balance);

struct stop_bill {
    int64_t minutes;    /* started minutes */
    tiyn_t cost;        /* what the session costs */
    tiyn_t to_account;  /* the unused prepayment, credited to the parking account */
};

/* cost = min(prepaid, tariff_cost(rate, minutes)); to_account = prepaid - cost.
 * Negative prepaid counts as 0; stop <= start costs nothing. */
struct stop_bill tariff_stop(tiyn_t rate_per_hour, tiyn_t prepaid, time_t start, time_t stop);

/* 1 when a session started at `start`, paid until `paid_until`, may be extended by
 * `hours` without its total paid duration exceeding max_hours; 0 otherwise
 * (also when hours < 1, max_hours < 1 or paid_until < start). */
int tariff_extension_allowed(time_t start, time_t paid_until, int hours, int max_hours);

/* "150", "150.50", "0.05", "-3.20" tenge from tiyn; whole tenge print without
 * decimals. Returns the number of chars the full text needs (snprintf-like):
 * output is truncated (and NUL-terminated when size > 0) if size is too small. */
int tariff_format_money(tiyn_t amount, char *buf, size_t size);

#endif
