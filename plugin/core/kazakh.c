/* kazakh.c: the case ending after a number written in digits (see kazakh.h). */
#include "kazakh.h"

#include <string.h>

/* The words a spoken number ends with (in the comments), and each one's ending per case. */
struct word {
    const char *ending[2];     /* KK_DATIVE, KK_LOCATIVE */
};

static const struct word UNITS[10] = {
    /* нөл */ { { "ге", "де" } },   /* бір */ { { "ге", "де" } },   /* екі */ { { "ге", "де" } },
    /* үш */ { { "ке", "те" } },    /* төрт */ { { "ке", "те" } },  /* бес */ { { "ке", "те" } },
    /* алты */ { { "ға", "да" } },  /* жеті */ { { "ге", "де" } },  /* сегіз */ { { "ге", "де" } },
    /* тоғыз */ { { "ға", "да" } },
};
static const struct word TENS[10] = {
    /* - */ { { "", "" } },          /* он */ { { "ға", "да" } },     /* жиырма */ { { "ға", "да" } },
    /* отыз */ { { "ға", "да" } },  /* қырық */ { { "қа", "та" } },  /* елу */ { { "ге", "де" } },
    /* алпыс */ { { "қа", "та" } }, /* жетпіс */ { { "ке", "те" } }, /* сексен */ { { "ге", "де" } },
    /* тоқсан */ { { "ға", "да" } },
};
static const struct word HUNDRED = /* жүз */ { { "ге", "де" } };
static const struct word THOUSAND = /* мың */ { { "ға", "да" } };
static const struct word MILLION = /* миллион */ { { "ға", "да" } };

const char *kk_number_ending(unsigned long n, enum kk_case c)
{
    const struct word *w;

    if (n == 0 || n % 10 != 0)
        w = &UNITS[n % 10];
    else if (n % 100 != 0)
        w = &TENS[n / 10 % 10];
    else if (n % 1000 != 0)
        w = &HUNDRED;
    else if (n % 1000000 != 0)
        w = &THOUSAND;
    else
        w = &MILLION;
    return w->ending[c == KK_LOCATIVE];
}

const char *kk_text_ending(const char *text, enum kk_case c)
{
    size_t len = text ? strlen(text) : 0, i = len;
    unsigned long n = 0;

    while (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')
        i--;
    if (i == len || len - i > 9)
        return NULL;
    for (; i < len; i++)
        n = n * 10 + (unsigned long)(text[i] - '0');
    return kk_number_ending(n, c);
}
