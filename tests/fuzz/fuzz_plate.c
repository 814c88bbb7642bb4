/* fuzz_plate.c: libFuzzer target for plate_normalise_at (plugin/core/plate.c).
 *
 * Under both policies it checks the contract: an accepted plate is canonical (Latin capitals
 * and digits, shorter than PLATE_MAX), its region fits its format, and normalising the
 * canonical form again gives the same plate (normalisation is idempotent); a refused one has
 * *out zeroed and an error position inside the input. KZ_ONLY accepts nothing ALLOW_OTHER
 * refuses.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plate.h"

static void check_canonical(const struct plate *p)
{
    size_t n = strlen(p->canonical);

    if (n == 0 || n >= PLATE_MAX)
        abort();
    for (size_t i = 0; i < n; i++)
        if (!((p->canonical[i] >= 'A' && p->canonical[i] <= 'Z') ||
              (p->canonical[i] >= '0' && p->canonical[i] <= '9')))
            abort();
    switch (p->format) {
    case PLATE_KZ2012_PRIVATE:
    case PLATE_KZ2012_ORG:
        if (p->region < 1 || p->region > 20 || p->region_letter != 0)
            abort();
        break;
    case PLATE_KZ1993_PRIVATE:
    case PLATE_KZ1993_ORG:
        if (p->region != 0 || p->region_letter != p->canonical[0])
            abort();
        break;
    case PLATE_OTHER:
        if (n < 4 || n > 10)
            abort();
        break;
    default:
        abort();
    }
}

/* Returns the result; aborts when the contract is broken. */
static enum plate_error check(const uint8_t *data, size_t size, enum plate_policy policy)
{
    struct plate p, again;
    size_t at = 0;
    enum plate_error e = plate_normalise_at((const char *)data, size, policy, &p, &at);

    if (e != PLATE_OK) {
        if (at > size || p.canonical[0] != '\0' || p.region != 0 || p.region_letter != 0 ||
            e > PLATE_UNKNOWN_FORMAT)
            abort();
        return e;
    }
    check_canonical(&p);
    if (policy == PLATE_POLICY_KZ_ONLY && p.format == PLATE_OTHER)
        abort();
    if (plate_normalise(p.canonical, strlen(p.canonical), policy, &again) != PLATE_OK ||
        strcmp(again.canonical, p.canonical) != 0 || again.format != p.format ||
        again.region != p.region || again.region_letter != p.region_letter)
        abort();
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum plate_error kz = check(data, size, PLATE_POLICY_KZ_ONLY);
    enum plate_error other = check(data, size, PLATE_POLICY_ALLOW_OTHER);

    if (kz == PLATE_OK && other != PLATE_OK)
        abort();
    return 0;
}
