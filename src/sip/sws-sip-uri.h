/* sws-sip-uri.h: SIP/SIPS URIs (RFC 3261 §19.1) and generic parameter lists */
#pragma once

#include "sws-sip-types.h"

G_BEGIN_DECLS

typedef enum {
  SWS_URI_SCHEME_OTHER = 0,  /* syntactically an absoluteURI, scheme unsupported */
  SWS_URI_SCHEME_SIP,
  SWS_URI_SCHEME_SIPS,
  SWS_URI_SCHEME_TEL,
} SwsUriScheme;

/* A parsed URI: every field is a slice of the parsed text. Fields that are
 * absent are SWS_STR_NULL. For non-SIP schemes only scheme/scheme_str/whole
 * are set. */
typedef struct {
  SwsStr whole;
  SwsUriScheme scheme;
  SwsStr scheme_str;
  SwsStr user;        /* still %-escaped, may contain ';' (RFC 4475 semiuri) */
  SwsStr password;
  SwsStr host;        /* IPv6 references keep their brackets */
  guint16 port;       /* 0 when absent */
  SwsStr params;      /* after the first ';' of the hostport, up to '?' or end; no leading ';' */
  SwsStr headers;     /* after '?'; no leading '?' */
} SwsUri;

/* Parse a URI that fills the whole slice (no surrounding LWS, no '<>').
 * SIP/SIPS URIs are checked against the RFC 3261 grammar (host must be a
 * valid hostname/IPv4/IPv6 reference, port 1..65535, no spaces or control
 * characters anywhere). Other schemes must match `scheme ":" 1*uric`.
 * Errors: SWS_SIP_ERROR 400 with a reason such as "Malformed URI". */
gboolean sws_uri_parse (SwsStr text, SwsUri *uri, GError **error);

/* Look up a parameter in the URI's params, case-insensitively by name.
 * Returns TRUE if present; *value (may be NULL) receives the value, an
 * empty slice {p,0} for a flag parameter such as ";lr". */
gboolean sws_uri_get_param (const SwsUri *uri, const char *name, SwsStr *value);

/* Canonical address-of-record key of a SIP/SIPS URI (RFC 3261 §10.3 step 5):
 * "sip:" or "sips:", the user part with %-escapes of unreserved characters
 * decoded and all other escapes written as uppercase %XX (so "%00" stays
 * "%00" and the key is never truncated), "@", the host in lowercase.
 * Port, password, parameters and headers are dropped. A URI without a user
 * part gives "sip:host". Returns a newly allocated string, or NULL for a
 * non-SIP URI. */
char *sws_uri_to_aor (const SwsUri *uri);

/* Generic ";name=value;flag" parameter lists as found after a Via sent-by,
 * a name-addr or a URI. `params` starts at the first parameter name (no
 * leading ';'). Names compare case-insensitively; values may be quoted
 * strings (returned with their quotes). */
gboolean sws_params_get (SwsStr params, const char *name, SwsStr *value);

/* Iterate over ";"-separated parameters. Initialise with the params slice;
 * each call yields one name and value (value {p,0} for a flag). */
typedef struct {
  const char *pos;
  const char *end;
} SwsParamIter;

void     sws_param_iter_init (SwsParamIter *iter, SwsStr params);
gboolean sws_param_iter_next (SwsParamIter *iter, SwsStr *name, SwsStr *value);

G_END_DECLS
