/* fuzz_command.c: libFuzzer target for command_parse, command_parse_confirmation and
 * plate_normalise. Built by `make fuzz`; run as tests/fuzz/README.md says, e.g.
 *
 *   build-fuzz/fuzz_command -max_total_time=60 tests/fuzz/corpus/command
 *
 * Beyond the sanitizers it checks the contract: positions lie inside the input, fields
 * are in range, a successful parse has a plausible command, and a plate is canonical.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "plate.h"
#include "utf8.h"

static void check_plate(const struct plate *p)
{
    size_t n = strlen(p->canonical);

    if (n == 0 || n >= PLATE_MAX)
        abort();
    for (size_t i = 0; i < n; i++)
        if (!((p->canonical[i] >= 'A' && p->canonical[i] <= 'Z') ||
              (p->canonical[i] >= '0' && p->canonical[i] <= '9')))
            abort();
    if ((p->format == PLATE_KZ2012_PRIVATE || p->format == PLATE_KZ2012_ORG) &&
        (p->region < 1 || p->region > 20))
        abort();
}

static void check_command(const uint8_t *data, size_t size, int max_hours,
                          enum plate_policy policy)
{
    struct cmd_options opt = { max_hours, policy };
    struct command c;
    struct cmd_failure why;
    enum cmd_error e = command_parse((const char *)data, size, &opt, &c, &why);

    if (e != why.error)
        abort();
    if (e != CMD_OK) {
        if (why.position > size || why.field < 0 || why.field > CMD_MAX_INPUT + 1)
            abort();
        if ((e == CMD_BAD_PLATE) != (why.plate_error != PLATE_OK))
            abort();
        if (e == CMD_BAD_UTF8 && utf8_valid((const char *)data, size, NULL))
            abort();
        return;
    }
    if (size > CMD_MAX_INPUT || !utf8_valid((const char *)data, size, NULL))
        abort();
    if (c.has_plate)
        check_plate(&c.plate);
    if ((c.kind == CMD_START || c.kind == CMD_EXTEND) &&
        (c.hours < 1 || c.hours > max_hours))
        abort();
    if (c.kind == CMD_START && (c.zone < 0 || c.zone > 9999 || !c.has_plate))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct plate p;
    size_t at = 0;
    enum cmd_kind k;

    check_command(data, size, 24, PLATE_POLICY_KZ_ONLY);
    check_command(data, size, 3, PLATE_POLICY_ALLOW_OTHER);
    k = command_parse_confirmation((const char *)data, size);
    if ((k != CMD_CONFIRM && k != CMD_DECLINE && k != CMD_UNCLEAR) ||
        ((size == 0 || size > CMD_MAX_INPUT) && k != CMD_UNCLEAR))
        abort();
    if (plate_normalise_at((const char *)data, size, PLATE_POLICY_ALLOW_OTHER, &p, &at)
        == PLATE_OK)
        check_plate(&p);
    else if (at > size || p.canonical[0] != '\0')
        abort();
    return 0;
}
