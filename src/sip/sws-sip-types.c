/* sws-sip-types.c: slices, method and header-name tables, character classes */

#include "sws-sip-private.h"

#include <string.h>

G_DEFINE_QUARK (sws-sip-error-quark, sws_sip_error)

/* ---- character classes (RFC 3261 §25.1) ---- */

#define AN (SWS_CC_ALNUM | SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD | \
            SWS_CC_HOST | SWS_CC_SCHEME)

const guint16 sws_sip_char_class[256] = {
  ['a' ... 'z'] = AN,
  ['A' ... 'Z'] = AN,
  ['0' ... '9'] = AN,
  ['-'] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD | SWS_CC_HOST | SWS_CC_SCHEME,
  ['.'] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD | SWS_CC_HOST | SWS_CC_SCHEME,
  ['!'] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD,
  ['*'] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD,
  ['_'] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD,
  ['\''] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD,
  ['~'] = SWS_CC_TOKEN | SWS_CC_UNRESERVED | SWS_CC_WORD,
  ['%'] = SWS_CC_TOKEN | SWS_CC_WORD,
  ['`'] = SWS_CC_TOKEN | SWS_CC_WORD,
  ['+'] = SWS_CC_TOKEN | SWS_CC_USER | SWS_CC_PASSWORD | SWS_CC_PARAM |
          SWS_CC_HNV | SWS_CC_RESERVED | SWS_CC_WORD | SWS_CC_SCHEME,
  ['('] = SWS_CC_UNRESERVED | SWS_CC_WORD,
  [')'] = SWS_CC_UNRESERVED | SWS_CC_WORD,
  ['&'] = SWS_CC_USER | SWS_CC_PASSWORD | SWS_CC_PARAM | SWS_CC_RESERVED,
  ['='] = SWS_CC_USER | SWS_CC_PASSWORD | SWS_CC_RESERVED,
  ['$'] = SWS_CC_USER | SWS_CC_PASSWORD | SWS_CC_PARAM | SWS_CC_HNV | SWS_CC_RESERVED,
  [','] = SWS_CC_USER | SWS_CC_PASSWORD | SWS_CC_RESERVED,
  [';'] = SWS_CC_USER | SWS_CC_RESERVED,
  ['?'] = SWS_CC_USER | SWS_CC_HNV | SWS_CC_RESERVED | SWS_CC_WORD,
  ['/'] = SWS_CC_USER | SWS_CC_PARAM | SWS_CC_HNV | SWS_CC_RESERVED | SWS_CC_WORD,
  [':'] = SWS_CC_PARAM | SWS_CC_HNV | SWS_CC_RESERVED | SWS_CC_WORD,
  ['['] = SWS_CC_PARAM | SWS_CC_HNV | SWS_CC_WORD,
  [']'] = SWS_CC_PARAM | SWS_CC_HNV | SWS_CC_WORD,
  ['@'] = SWS_CC_RESERVED,
  ['<'] = SWS_CC_WORD,
  ['>'] = SWS_CC_WORD,
  ['\\'] = SWS_CC_WORD,
  ['"'] = SWS_CC_WORD,
  ['{'] = SWS_CC_WORD,
  ['}'] = SWS_CC_WORD,
  [' '] = SWS_CC_LWS,
  ['\t'] = SWS_CC_LWS,
  ['\r'] = SWS_CC_LWS,
  ['\n'] = SWS_CC_LWS,
};

#undef AN

gboolean
sws_sip_fail (GError     **error,
              guint        code,
              const char  *reason)
{
  g_set_error_literal (error, SWS_SIP_ERROR, (int) code, reason);
  return FALSE;
}

const char *
sws_sip_scan_quoted (const char *p,
                     const char *end)
{
  g_assert (p < end && *p == '"');

  for (p++; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        return p + 1;
      if (c == '\\')
        {
          /* quoted-pair: any octet but CR and LF */
          if (++p >= end || *p == '\r' || *p == '\n')
            return NULL;
          continue;
        }
      /* qdtext: LWS, visible ASCII and UTF-8 octets; no other control */
      if ((c < 0x20 && !sws_is_lws ((char) c)) || c == 0x7f)
        return NULL;
    }

  return NULL;
}

/* ---- slices ---- */

gboolean
sws_str_equal (SwsStr a,
               SwsStr b)
{
  if (a.p == NULL || b.p == NULL)
    return a.p == b.p;
  return a.len == b.len && memcmp (a.p, b.p, a.len) == 0;
}

gboolean
sws_str_equal_ci (SwsStr a,
                  SwsStr b)
{
  if (a.p == NULL || b.p == NULL)
    return a.p == b.p;
  if (a.len != b.len)
    return FALSE;
  for (gsize i = 0; i < a.len; i++)
    if (sws_lower (a.p[i]) != sws_lower (b.p[i]))
      return FALSE;
  return TRUE;
}

gboolean
sws_str_is (SwsStr      s,
            const char *lit)
{
  gsize i;

  if (s.p == NULL || lit == NULL)
    return FALSE;
  for (i = 0; i < s.len; i++)
    if (lit[i] == '\0' || sws_lower (s.p[i]) != sws_lower (lit[i]))
      return FALSE;
  return lit[i] == '\0';
}

char *
sws_str_dup (SwsStr s)
{
  if (s.p == NULL)
    return NULL;
  return g_strndup (s.p, s.len);
}

SwsStr
sws_str_trim (SwsStr s)
{
  const char *p = s.p, *end;

  if (p == NULL)
    return s;
  end = p + s.len;
  p = sws_skip_lws (p, end);
  while (end > p && sws_is_lws (end[-1]))
    end--;
  return sws_str_range (p, end);
}

gboolean
sws_str_to_uint64 (SwsStr   s,
                   guint64  max,
                   guint64 *out)
{
  guint64 v = 0;

  if (s.p == NULL || s.len == 0)
    return FALSE;

  for (gsize i = 0; i < s.len; i++)
    {
      guint d;

      if (s.p[i] < '0' || s.p[i] > '9')
        return FALSE;
      d = (guint) (s.p[i] - '0');
      /* keeps v <= max at every step, so no overflow is possible */
      if (v > max / 10 || (v == max / 10 && d > max % 10))
        return FALSE;
      v = v * 10 + d;
    }

  if (out)
    *out = v;
  return TRUE;
}

/* ---- methods (RFC 3261 §7.1: case-sensitive) ---- */

static const char * const method_names[] = {
  [SWS_METHOD_UNKNOWN] = NULL,
  [SWS_METHOD_INVITE] = "INVITE",
  [SWS_METHOD_ACK] = "ACK",
  [SWS_METHOD_BYE] = "BYE",
  [SWS_METHOD_CANCEL] = "CANCEL",
  [SWS_METHOD_REGISTER] = "REGISTER",
  [SWS_METHOD_OPTIONS] = "OPTIONS",
  [SWS_METHOD_MESSAGE] = "MESSAGE",
  [SWS_METHOD_INFO] = "INFO",
  [SWS_METHOD_UPDATE] = "UPDATE",
  [SWS_METHOD_PRACK] = "PRACK",
  [SWS_METHOD_SUBSCRIBE] = "SUBSCRIBE",
  [SWS_METHOD_NOTIFY] = "NOTIFY",
  [SWS_METHOD_REFER] = "REFER",
  [SWS_METHOD_PUBLISH] = "PUBLISH",
};

static inline gboolean
method_is (SwsStr s, SwsMethod m)
{
  const char *name = method_names[m];

  return strlen (name) == s.len && memcmp (s.p, name, s.len) == 0;
}

SwsMethod
sws_method_from_str (SwsStr s)
{
  SwsMethod a = SWS_METHOD_UNKNOWN, b = SWS_METHOD_UNKNOWN;

  if (s.p == NULL || s.len < 3)
    return SWS_METHOD_UNKNOWN;

  /* at most two candidates per first letter */
  switch (s.p[0])
    {
    case 'I': a = SWS_METHOD_INVITE; b = SWS_METHOD_INFO; break;
    case 'A': a = SWS_METHOD_ACK; break;
    case 'B': a = SWS_METHOD_BYE; break;
    case 'C': a = SWS_METHOD_CANCEL; break;
    case 'R': a = SWS_METHOD_REGISTER; b = SWS_METHOD_REFER; break;
    case 'O': a = SWS_METHOD_OPTIONS; break;
    case 'M': a = SWS_METHOD_MESSAGE; break;
    case 'U': a = SWS_METHOD_UPDATE; break;
    case 'P': a = SWS_METHOD_PRACK; b = SWS_METHOD_PUBLISH; break;
    case 'S': a = SWS_METHOD_SUBSCRIBE; break;
    case 'N': a = SWS_METHOD_NOTIFY; break;
    default: return SWS_METHOD_UNKNOWN;
    }

  if (method_is (s, a))
    return a;
  if (b != SWS_METHOD_UNKNOWN && method_is (s, b))
    return b;
  return SWS_METHOD_UNKNOWN;
}

const char *
sws_method_to_string (SwsMethod m)
{
  if ((guint) m >= G_N_ELEMENTS (method_names))
    return NULL;
  return method_names[m];
}

/* ---- header names (RFC 3261 §7.3.3 compact forms and later RFCs) ---- */

static const char * const header_names[SWS_HDR_N_IDS] = {
  [SWS_HDR_OTHER] = NULL,
  [SWS_HDR_VIA] = "Via",
  [SWS_HDR_FROM] = "From",
  [SWS_HDR_TO] = "To",
  [SWS_HDR_CALL_ID] = "Call-ID",
  [SWS_HDR_CSEQ] = "CSeq",
  [SWS_HDR_CONTACT] = "Contact",
  [SWS_HDR_MAX_FORWARDS] = "Max-Forwards",
  [SWS_HDR_CONTENT_LENGTH] = "Content-Length",
  [SWS_HDR_CONTENT_TYPE] = "Content-Type",
  [SWS_HDR_CONTENT_ENCODING] = "Content-Encoding",
  [SWS_HDR_EXPIRES] = "Expires",
  [SWS_HDR_MIN_EXPIRES] = "Min-Expires",
  [SWS_HDR_ROUTE] = "Route",
  [SWS_HDR_RECORD_ROUTE] = "Record-Route",
  [SWS_HDR_REQUIRE] = "Require",
  [SWS_HDR_PROXY_REQUIRE] = "Proxy-Require",
  [SWS_HDR_SUPPORTED] = "Supported",
  [SWS_HDR_UNSUPPORTED] = "Unsupported",
  [SWS_HDR_ALLOW] = "Allow",
  [SWS_HDR_ACCEPT] = "Accept",
  [SWS_HDR_USER_AGENT] = "User-Agent",
  [SWS_HDR_SERVER] = "Server",
  [SWS_HDR_DATE] = "Date",
  [SWS_HDR_AUTHORIZATION] = "Authorization",
  [SWS_HDR_PROXY_AUTHORIZATION] = "Proxy-Authorization",
  [SWS_HDR_WWW_AUTHENTICATE] = "WWW-Authenticate",
  [SWS_HDR_PROXY_AUTHENTICATE] = "Proxy-Authenticate",
  [SWS_HDR_SUBJECT] = "Subject",
  [SWS_HDR_EVENT] = "Event",
  [SWS_HDR_ALLOW_EVENTS] = "Allow-Events",
  [SWS_HDR_REFER_TO] = "Refer-To",
  [SWS_HDR_REFERRED_BY] = "Referred-By",
  [SWS_HDR_SESSION_EXPIRES] = "Session-Expires",
  [SWS_HDR_ACCEPT_CONTACT] = "Accept-Contact",
  [SWS_HDR_REJECT_CONTACT] = "Reject-Contact",
  [SWS_HDR_REQUEST_DISPOSITION] = "Request-Disposition",
  [SWS_HDR_IDENTITY] = "Identity",
  [SWS_HDR_IDENTITY_INFO] = "Identity-Info",
  [SWS_HDR_PATH] = "Path",
  [SWS_HDR_TIMESTAMP] = "Timestamp",
};

/* Candidates by name length; each list ends with SWS_HDR_OTHER (0). A
 * length switch and at most five short compares per lookup. */
#define MAX_NAME_LEN 19
static const guint8 by_length[MAX_NAME_LEN + 1][6] = {
  [2] = { SWS_HDR_TO },
  [3] = { SWS_HDR_VIA },
  [4] = { SWS_HDR_FROM, SWS_HDR_CSEQ, SWS_HDR_DATE, SWS_HDR_PATH },
  [5] = { SWS_HDR_ROUTE, SWS_HDR_ALLOW, SWS_HDR_EVENT },
  [6] = { SWS_HDR_ACCEPT, SWS_HDR_SERVER },
  [7] = { SWS_HDR_CALL_ID, SWS_HDR_CONTACT, SWS_HDR_EXPIRES, SWS_HDR_REQUIRE,
          SWS_HDR_SUBJECT },
  [8] = { SWS_HDR_IDENTITY, SWS_HDR_REFER_TO },
  [9] = { SWS_HDR_SUPPORTED, SWS_HDR_TIMESTAMP },
  [10] = { SWS_HDR_USER_AGENT },
  [11] = { SWS_HDR_MIN_EXPIRES, SWS_HDR_REFERRED_BY, SWS_HDR_UNSUPPORTED },
  [12] = { SWS_HDR_MAX_FORWARDS, SWS_HDR_CONTENT_TYPE, SWS_HDR_RECORD_ROUTE,
           SWS_HDR_ALLOW_EVENTS },
  [13] = { SWS_HDR_AUTHORIZATION, SWS_HDR_IDENTITY_INFO, SWS_HDR_PROXY_REQUIRE },
  [14] = { SWS_HDR_CONTENT_LENGTH, SWS_HDR_ACCEPT_CONTACT, SWS_HDR_REJECT_CONTACT },
  [15] = { SWS_HDR_SESSION_EXPIRES },
  [16] = { SWS_HDR_CONTENT_ENCODING, SWS_HDR_WWW_AUTHENTICATE },
  [18] = { SWS_HDR_PROXY_AUTHENTICATE },
  [19] = { SWS_HDR_PROXY_AUTHORIZATION, SWS_HDR_REQUEST_DISPOSITION },
};

static SwsHeaderId
compact_form (char c)
{
  switch (sws_lower (c))
    {
    case 'i': return SWS_HDR_CALL_ID;
    case 'm': return SWS_HDR_CONTACT;
    case 'e': return SWS_HDR_CONTENT_ENCODING;
    case 'l': return SWS_HDR_CONTENT_LENGTH;
    case 'c': return SWS_HDR_CONTENT_TYPE;
    case 'f': return SWS_HDR_FROM;
    case 's': return SWS_HDR_SUBJECT;
    case 'k': return SWS_HDR_SUPPORTED;
    case 't': return SWS_HDR_TO;
    case 'v': return SWS_HDR_VIA;
    case 'o': return SWS_HDR_EVENT;             /* RFC 6665 */
    case 'r': return SWS_HDR_REFER_TO;          /* RFC 3515 */
    case 'u': return SWS_HDR_ALLOW_EVENTS;      /* RFC 6665 */
    case 'a': return SWS_HDR_ACCEPT_CONTACT;    /* RFC 3841 */
    case 'j': return SWS_HDR_REJECT_CONTACT;    /* RFC 3841 */
    case 'd': return SWS_HDR_REQUEST_DISPOSITION; /* RFC 3841 */
    case 'x': return SWS_HDR_SESSION_EXPIRES;   /* RFC 4028 */
    case 'b': return SWS_HDR_REFERRED_BY;       /* RFC 3892 */
    case 'y': return SWS_HDR_IDENTITY;          /* RFC 4474 */
    case 'n': return SWS_HDR_IDENTITY_INFO;     /* RFC 4474 */
    default: return SWS_HDR_OTHER;
    }
}

SwsHeaderId
sws_header_id_from_name (SwsStr name)
{
  const guint8 *candidates;
  char first;

  if (name.p == NULL || name.len == 0 || name.len > MAX_NAME_LEN)
    return SWS_HDR_OTHER;
  if (name.len == 1)
    return compact_form (name.p[0]);

  candidates = by_length[name.len];
  first = sws_lower (name.p[0]);
  for (guint i = 0; candidates[i] != SWS_HDR_OTHER; i++)
    {
      const char *lit = header_names[candidates[i]];
      gsize j;

      if (sws_lower (lit[0]) != first)
        continue;
      for (j = 1; j < name.len; j++)
        if (sws_lower (name.p[j]) != sws_lower (lit[j]))
          break;
      if (j == name.len)
        return (SwsHeaderId) candidates[i];
    }

  return SWS_HDR_OTHER;
}

const char *
sws_header_id_to_name (SwsHeaderId id)
{
  if ((guint) id >= SWS_HDR_N_IDS)
    return NULL;
  return header_names[id];
}
