/* mt_array.h: freeing the arrays of struct mt that the service returns.
 *
 * The service allocates them with malloc(); gwlib's gwmem.h forbids calling
 * free() in files that include gwlib, so the box frees them through this one
 * function, compiled without gwlib.
 */
#ifndef PARKBOX_MT_ARRAY_H
#define PARKBOX_MT_ARRAY_H

struct mt;

void mt_array_free(struct mt *mt);   /* accepts NULL */

#endif
