/* sws-sip-types.h: basic types of the SIP core (slices, methods, header names, errors)
 *
 * The SIP core does no I/O: everything here works on byte slices of a
 * received message and is testable with plain strings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A slice of a buffer owned by someone else (usually a SwsSipMessage).
 * Not NUL-terminated. An absent value has p == NULL; an empty present
 * value has p != NULL and len == 0. */
typedef struct {
  const char *p;
  gsize len;
} SwsStr;

#define SWS_STR_NULL ((SwsStr) { NULL, 0 })
#define SWS_STR_IS_SET(s) ((s).p != NULL)

static inline SwsStr
sws_str (const char *p, gsize len)
{
  SwsStr s = { p, len };
  return s;
}

static inline SwsStr
sws_str_c (const char *nul_terminated)
{
  SwsStr s = { nul_terminated, nul_terminated ? strlen (nul_terminated) : 0 };
  return s;
}

gboolean sws_str_equal       (SwsStr a, SwsStr b);
gboolean sws_str_equal_ci    (SwsStr a, SwsStr b);
/* Compare to a NUL-terminated literal, case-insensitively (ASCII). */
gboolean sws_str_is          (SwsStr s, const char *lit);
char    *sws_str_dup         (SwsStr s);
SwsStr   sws_str_trim        (SwsStr s);
/* Parse an unsigned decimal number that fills the whole slice; FALSE on
 * empty input, non-digits or a value above max. */
gboolean sws_str_to_uint64   (SwsStr s, guint64 max, guint64 *out);

/* Methods of RFC 3261 and its common extensions. Method names are
 * case-sensitive (RFC 3261 §7.1): "invite" is an unknown method. */
typedef enum {
  SWS_METHOD_UNKNOWN = 0,
  SWS_METHOD_INVITE,
  SWS_METHOD_ACK,
  SWS_METHOD_BYE,
  SWS_METHOD_CANCEL,
  SWS_METHOD_REGISTER,
  SWS_METHOD_OPTIONS,
  SWS_METHOD_MESSAGE,
  SWS_METHOD_INFO,
  SWS_METHOD_UPDATE,
  SWS_METHOD_PRACK,
  SWS_METHOD_SUBSCRIBE,
  SWS_METHOD_NOTIFY,
  SWS_METHOD_REFER,
  SWS_METHOD_PUBLISH,
} SwsMethod;

SwsMethod    sws_method_from_str  (SwsStr s);
const char  *sws_method_to_string (SwsMethod m);  /* NULL for UNKNOWN */

/* Header names the core knows. Lookup is case-insensitive and accepts the
 * compact forms of RFC 3261 §7.3.3 and later RFCs (i, m, e, l, c, f, s, k,
 * t, v, o, r, u, a, j, d, x, b, y, n). Everything else is SWS_HDR_OTHER. */
typedef enum {
  SWS_HDR_OTHER = 0,
  SWS_HDR_VIA,
  SWS_HDR_FROM,
  SWS_HDR_TO,
  SWS_HDR_CALL_ID,
  SWS_HDR_CSEQ,
  SWS_HDR_CONTACT,
  SWS_HDR_MAX_FORWARDS,
  SWS_HDR_CONTENT_LENGTH,
  SWS_HDR_CONTENT_TYPE,
  SWS_HDR_CONTENT_ENCODING,
  SWS_HDR_EXPIRES,
  SWS_HDR_MIN_EXPIRES,
  SWS_HDR_ROUTE,
  SWS_HDR_RECORD_ROUTE,
  SWS_HDR_REQUIRE,
  SWS_HDR_PROXY_REQUIRE,
  SWS_HDR_SUPPORTED,
  SWS_HDR_UNSUPPORTED,
  SWS_HDR_ALLOW,
  SWS_HDR_ACCEPT,
  SWS_HDR_USER_AGENT,
  SWS_HDR_SERVER,
  SWS_HDR_DATE,
  SWS_HDR_AUTHORIZATION,
  SWS_HDR_PROXY_AUTHORIZATION,
  SWS_HDR_WWW_AUTHENTICATE,
  SWS_HDR_PROXY_AUTHENTICATE,
  SWS_HDR_SUBJECT,
  SWS_HDR_EVENT,
  SWS_HDR_ALLOW_EVENTS,
  SWS_HDR_REFER_TO,
  SWS_HDR_REFERRED_BY,
  SWS_HDR_SESSION_EXPIRES,
  SWS_HDR_ACCEPT_CONTACT,
  SWS_HDR_REJECT_CONTACT,
  SWS_HDR_REQUEST_DISPOSITION,
  SWS_HDR_IDENTITY,
  SWS_HDR_IDENTITY_INFO,
  SWS_HDR_PATH,
  SWS_HDR_TIMESTAMP,
  SWS_HDR_N_IDS,
} SwsHeaderId;

SwsHeaderId  sws_header_id_from_name (SwsStr name);
/* Canonical long name, e.g. "Call-ID"; NULL for SWS_HDR_OTHER. */
const char  *sws_header_id_to_name   (SwsHeaderId id);

/* Errors of the SIP core. The error code IS the SIP status code that a
 * server answers a broken request with (400, 416, 420, 505, 513, …) and the
 * error message is a short reason phrase in English saying what is wrong
 * ("Malformed CSeq", "Missing Call-ID", …); it goes on the status line, so
 * it never contains CR or LF and is not translated. */
#define SWS_SIP_ERROR (sws_sip_error_quark ())
GQuark sws_sip_error_quark (void);

G_END_DECLS
