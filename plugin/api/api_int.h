/* api_int.h: what the files of plugin/api share: a request, its answer, the routes. */
#ifndef PARK_API_INT_H
#define PARK_API_INT_H

#include <jansson.h>
#include <microhttpd.h>

#include "api.h"
#include "enforce.h"

enum api_role { ROLE_NONE = 0, ROLE_INSPECTOR = 1, ROLE_OPERATOR = 2, ROLE_FINES = 4,
                ROLE_PORTAL = 8 };

struct api_request {
    const struct api_config *cfg;
    struct MHD_Connection *conn;
    const char *method, *path;
    const char *body;                 /* NUL-terminated; "" when none */
    size_t body_len;
    enum api_role role;               /* of the caller's key */
    char key_name[64];
    const char *params[4];            /* path parameters: /v1/violations/{id}/... */
};

struct api_response {
    int status;
    json_t *json;                     /* owned; or text below */
    char *text;                       /* malloc'd */
    const char *content_type;
};

typedef void api_handler(struct api_request *rq, struct api_response *rs);

/* Sets an error answer {"error": msg}. */
void api_error(struct api_response *rs, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Turns an enforcement result into the answer (200 with *out, read after the call that
   set it, or the status's code). */
void api_answer(struct api_response *rs, enum en_status st, json_t **out, const struct en_error *err);
/* A query parameter, or NULL. */
const char *api_query(const struct api_request *rq, const char *name);
/* The body as a JSON object, or NULL after setting 400 with jansson's reason. */
json_t *api_body(const struct api_request *rq, struct api_response *rs);
/* limit (1..max, default def) and offset (>= 0) from the query; -1 after 400. */
int api_paging(const struct api_request *rq, struct api_response *rs, int def, int max,
               int *limit, int *offset);

/* auth.c: the caller's role from its key (401, 403, 429 answered here); 0 to go on. */
int auth_check(struct api_request *rq, struct api_response *rs, int roles);
void auth_init(void);

/* noc.c */
void noc_health(struct api_request *rq, struct api_response *rs);
void noc_status_text(struct api_request *rq, struct api_response *rs);
void noc_status_json(struct api_request *rq, struct api_response *rs);
void noc_metrics(struct api_request *rq, struct api_response *rs);

/* v1.c: every /v1/ route, with the roles that may call it; the list ends with a NULL
   pattern. */
struct api_route {
    const char *method;
    const char *pattern;              /* "/v1/violations/{}/handover": {} one segment */
    int roles;
    api_handler *handler;
};
extern const struct api_route api_routes[];

#endif
