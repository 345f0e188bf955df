/* sws-sip-private.h: character classes and scanners shared by the SIP core
 *
 * Not installed and not part of the API: only src/sip/ includes it.
 */
#pragma once

#include "sws-sip-types.h"

G_BEGIN_DECLS

/* Character classes of the RFC 3261 §25.1 grammar, one bit each. */
enum {
  SWS_CC_ALNUM       = 1 << 0,
  SWS_CC_TOKEN       = 1 << 1,   /* token */
  SWS_CC_UNRESERVED  = 1 << 2,   /* alphanum / mark */
  SWS_CC_USER        = 1 << 3,   /* user-unreserved */
  SWS_CC_PASSWORD    = 1 << 4,   /* "&" / "=" / "+" / "$" / "," */
  SWS_CC_PARAM       = 1 << 5,   /* param-unreserved */
  SWS_CC_HNV         = 1 << 6,   /* hnv-unreserved */
  SWS_CC_RESERVED    = 1 << 7,   /* reserved */
  SWS_CC_WORD        = 1 << 8,   /* word (Call-ID) */
  SWS_CC_HOST        = 1 << 9,   /* alphanum / "-" / "." */
  SWS_CC_SCHEME      = 1 << 10,  /* alphanum / "+" / "-" / "." */
  SWS_CC_LWS         = 1 << 11,  /* SP / HTAB / CR / LF */
};

extern const guint16 sws_sip_char_class[256];

static inline gboolean
sws_cc (char c, guint mask)
{
  return (sws_sip_char_class[(guchar) c] & mask) != 0;
}

static inline gboolean
sws_is_lws (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline char
sws_lower (char c)
{
  return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
}

static inline const char *
sws_skip_lws (const char *p, const char *end)
{
  while (p < end && sws_is_lws (*p))
    p++;
  return p;
}

static inline const char *
sws_skip_class (const char *p, const char *end, guint mask)
{
  while (p < end && sws_cc (*p, mask))
    p++;
  return p;
}

static inline SwsStr
sws_str_range (const char *p, const char *end)
{
  return sws_str (p, (gsize) (end - p));
}

/* `p` points at a DQUOTE. Returns the position after the closing DQUOTE,
 * or NULL when the string is unterminated or holds a control character
 * that neither qdtext nor quoted-pair allows (RFC 3261 §25.1). */
const char *sws_sip_scan_quoted (const char *p, const char *end);

/* host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1). */
gboolean    sws_sip_host_is_valid (SwsStr host);

/* port = 1*DIGIT, 1..65535 here. */
gboolean    sws_sip_port_parse (SwsStr s, guint16 *port);

/* A ";"-list of generic-params: token [ EQUAL ( token / host /
 * quoted-string ) ], no empty ones (RFC 3261 §25.1 generic-param). */
gboolean    sws_sip_params_are_valid (SwsStr params);

gboolean    sws_sip_fail (GError **error, guint code, const char *reason);

G_END_DECLS
