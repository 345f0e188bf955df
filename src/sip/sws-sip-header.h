/* sws-sip-header.h: parsers for the header values the server reads
 *
 * Each parser takes one header *value* (one element of a comma-separated
 * list, already split by SwsHeaderIter) and fills a struct of slices into
 * that value. Nothing is copied. Errors are SWS_SIP_ERROR 400 with a reason
 * phrase naming the header ("Malformed Via", "Malformed To", …).
 */
#pragma once

#include "sws-sip-uri.h"

G_BEGIN_DECLS

/* Via (RFC 3261 §20.42, §18.2.1; RFC 3581 rport) */
typedef struct {
  SwsStr whole;
  SwsStr protocol;    /* "SIP/2.0" (name and version, LWS around '/' allowed) */
  SwsStr transport;   /* "UDP", "WS", "WSS", "TLS", or any token */
  SwsStr host;        /* sent-by host (IPv6 with brackets) */
  guint16 port;       /* 0 when absent */
  SwsStr params;      /* all params, no leading ';' */
  SwsStr branch;      /* SWS_STR_NULL when absent */
  SwsStr received;
  gboolean has_rport;
  SwsStr rport;       /* value; empty when the flag form ";rport" is used */
} SwsVia;

gboolean sws_via_parse (SwsStr value, SwsVia *via, GError **error);

/* The RFC 3261 magic cookie: branch starts with "z9hG4bK" (§8.1.1.7). */
gboolean sws_via_branch_is_rfc3261 (const SwsVia *via);

/* From, To, Contact, Route, Record-Route (RFC 3261 §20.10, §20.20, §20.39,
 * §20.34, §20.30): name-addr or addr-spec followed by header params.
 * In the addr-spec form (no '<>'), everything after the first ';' is a
 * header parameter, not a URI parameter (§20.10, RFC 4475 cparam01), and a
 * '?' or ',' is an error (RFC 4475 regbadct). A display name is a quoted
 * string or a sequence of tokens (RFC 4475 baddn: anything else is 400). */
typedef struct {
  SwsStr whole;
  gboolean star;      /* Contact: "*" */
  SwsStr display;     /* raw, quotes included when quoted; NULL when none */
  SwsStr uri_text;    /* inside '<>' or the bare addr-spec */
  SwsUri uri;
  SwsStr params;      /* header params, no leading ';' */
  SwsStr tag;         /* ;tag= value or SWS_STR_NULL */
} SwsNameAddr;

/* Parse one name-addr/addr-spec value. `allow_star` accepts "*" (Contact).
 * The URI itself is parsed with sws_uri_parse(); a URI with an unsupported
 * scheme still parses (scheme == SWS_URI_SCHEME_OTHER). */
gboolean sws_name_addr_parse (SwsStr value, gboolean allow_star,
                              SwsNameAddr *na, GError **error);

/* CSeq (§20.16): 32-bit sequence number and method. */
gboolean sws_cseq_parse (SwsStr value, guint32 *number, SwsStr *method,
                         GError **error);

/* Split a header value into its comma-separated elements (§7.3.1),
 * honouring quoted strings and '<>' so that commas inside them do not
 * split. Elements are trimmed of LWS; empty elements are an error only for
 * the caller to decide (they are returned as empty slices). */
typedef struct {
  const char *pos;
  const char *end;
} SwsListIter;

void     sws_list_iter_init (SwsListIter *iter, SwsStr value);
gboolean sws_list_iter_next (SwsListIter *iter, SwsStr *element);

G_END_DECLS
