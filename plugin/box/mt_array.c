/* mt_array.c: free() for the service's struct mt arrays (no gwlib here). */
#include <stdlib.h>

#include "mt_array.h"

void mt_array_free(struct mt *mt)
{
    free(mt);
}
