/* sws-sip-uri.c: SIP/SIPS/tel URI parser, hosts, parameter lists, AOR keys */

#include "sws-sip-uri.h"
#include "sws-sip-private.h"

#include <string.h>

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Every octet is of class `mask` or part of an escape "%" HEXDIG HEXDIG
 * (RFC 3261 §25.1 escaped). */
static gboolean
is_escaped_class (const char *p,
                  const char *end,
                  guint       mask)
{
  while (p < end)
    {
      if (*p == '%')
        {
          if (end - p < 3 || hex_value (p[1]) < 0 || hex_value (p[2]) < 0)
            return FALSE;
          p += 3;
        }
      else if (sws_cc (*p, mask))
        p++;
      else
        return FALSE;
    }
  return TRUE;
}

/* ---- hosts (RFC 3261 §25.1 host, RFC 4291 §2.2 for IPv6) ---- */

static gboolean
ipv4_is_valid (const char *p,
               const char *end)
{
  for (guint part = 0; part < 4; part++)
    {
      guint v = 0, digits = 0;

      if (part > 0)
        {
          if (p >= end || *p != '.')
            return FALSE;
          p++;
        }
      while (p < end && *p >= '0' && *p <= '9' && digits < 3)
        {
          v = v * 10 + (guint) (*p++ - '0');
          digits++;
        }
      if (digits == 0 || v > 255)
        return FALSE;
    }
  return p == end;
}

static gboolean
ipv6_is_valid (const char *p,
               const char *end)
{
  guint groups = 0;
  gboolean compressed = FALSE;

  if (end - p >= 2 && p[0] == ':' && p[1] == ':')
    {
      compressed = TRUE;
      p += 2;
    }

  while (p < end)
    {
      const char *q = p;

      while (q < end && hex_value (*q) >= 0)
        q++;
      if (q < end && *q == '.')
        {
          /* an IPv4 tail counts as two groups and ends the address */
          if (!ipv4_is_valid (p, end))
            return FALSE;
          groups += 2;
          break;
        }
      if (q == p || q - p > 4)
        return FALSE;
      groups++;
      p = q;
      if (p == end)
        break;
      if (*p++ != ':' || p == end)
        return FALSE;
      if (*p == ':')
        {
          if (compressed)
            return FALSE;
          compressed = TRUE;
          p++;
        }
    }

  return compressed ? groups <= 7 : groups == 8;
}

static gboolean
hostname_is_valid (const char *p,
                   const char *end)
{
  const char *last_label = p;

  while (p < end)
    {
      const char *label = p;

      while (p < end && (sws_cc (*p, SWS_CC_ALNUM) || *p == '-'))
        p++;
      if (p == label || *label == '-' || p[-1] == '-')
        return FALSE;
      last_label = label;
      if (p == end)
        break;
      if (*p++ != '.')
        return FALSE;
    }

  /* toplabel starts with ALPHA; a trailing dot is allowed */
  return g_ascii_isalpha (*last_label);
}

gboolean
sws_sip_host_is_valid (SwsStr host)
{
  const char *p = host.p, *end;
  gboolean numeric = TRUE;

  if (p == NULL || host.len == 0)
    return FALSE;
  end = p + host.len;

  if (*p == '[')
    return host.len > 2 && end[-1] == ']' && ipv6_is_valid (p + 1, end - 1);

  for (const char *q = p; q < end && numeric; q++)
    numeric = (*q >= '0' && *q <= '9') || *q == '.';

  return numeric ? ipv4_is_valid (p, end) : hostname_is_valid (p, end);
}

gboolean
sws_sip_port_parse (SwsStr    s,
                    guint16  *port)
{
  guint64 v;

  if (!sws_str_to_uint64 (s, 65535, &v) || v == 0)
    return FALSE;
  *port = (guint16) v;
  return TRUE;
}

/* ---- URIs ---- */

/* uri-parameters = *( ";" pname [ "=" pvalue ] ), both 1*paramchar */
static gboolean
uri_params_are_valid (const char *p,
                      const char *end)
{
  const guint mask = SWS_CC_PARAM | SWS_CC_UNRESERVED;

  while (p <= end)
    {
      const char *semi = memchr (p, ';', (gsize) (end - p));
      const char *stop = semi ? semi : end;
      const char *eq = memchr (p, '=', (gsize) (stop - p));

      if (eq == NULL)
        eq = stop;
      if (eq == p || !is_escaped_class (p, eq, mask))
        return FALSE;
      if (eq < stop && (eq + 1 == stop || !is_escaped_class (eq + 1, stop, mask)))
        return FALSE;
      if (semi == NULL)
        break;
      p = semi + 1;
    }
  return TRUE;
}

/* headers = header *( "&" header ); header = hname "=" hvalue */
static gboolean
uri_headers_are_valid (const char *p,
                       const char *end)
{
  const guint mask = SWS_CC_HNV | SWS_CC_UNRESERVED;

  while (p <= end)
    {
      const char *amp = memchr (p, '&', (gsize) (end - p));
      const char *stop = amp ? amp : end;
      const char *eq = memchr (p, '=', (gsize) (stop - p));

      if (eq == NULL || eq == p || !is_escaped_class (p, eq, mask) ||
          !is_escaped_class (eq + 1, stop, mask))
        return FALSE;
      if (amp == NULL)
        break;
      p = amp + 1;
    }
  return TRUE;
}

/* RFC 3261 §19.1.1: sip:user:password@host:port;uri-parameters?headers */
static gboolean
parse_sip_uri (const char *p,
               const char *end,
               SwsUri     *uri)
{
  const char *at = memchr (p, '@', (gsize) (end - p));
  const char *host_end;

  /* user and password cannot hold an unescaped '@', nor can anything
   * after the host, so the first '@' ends the userinfo (RFC 4475 semiuri,
   * intmeth) */
  if (at != NULL)
    {
      const char *colon = memchr (p, ':', (gsize) (at - p));
      const char *user_end = colon ? colon : at;

      if (user_end == p ||
          !is_escaped_class (p, user_end, SWS_CC_UNRESERVED | SWS_CC_USER))
        return FALSE;
      uri->user = sws_str_range (p, user_end);
      if (colon != NULL)
        {
          if (!is_escaped_class (colon + 1, at, SWS_CC_UNRESERVED | SWS_CC_PASSWORD))
            return FALSE;
          uri->password = sws_str_range (colon + 1, at);
        }
      p = at + 1;
    }

  if (p < end && *p == '[')
    {
      const char *close = memchr (p, ']', (gsize) (end - p));

      if (close == NULL)
        return FALSE;
      host_end = close + 1;
    }
  else
    host_end = sws_skip_class (p, end, SWS_CC_HOST);

  uri->host = sws_str_range (p, host_end);
  if (!sws_sip_host_is_valid (uri->host))
    return FALSE;
  p = host_end;

  if (p < end && *p == ':')
    {
      const char *digits = ++p;

      while (p < end && *p >= '0' && *p <= '9')
        p++;
      if (!sws_sip_port_parse (sws_str_range (digits, p), &uri->port))
        return FALSE;
    }

  if (p < end && *p == ';')
    {
      const char *q = memchr (p, '?', (gsize) (end - p));

      if (q == NULL)
        q = end;
      if (!uri_params_are_valid (p + 1, q))
        return FALSE;
      uri->params = sws_str_range (p + 1, q);
      p = q;
    }

  if (p < end && *p == '?')
    {
      if (!uri_headers_are_valid (p + 1, end))
        return FALSE;
      uri->headers = sws_str_range (p + 1, end);
      p = end;
    }

  return p == end;
}

gboolean
sws_uri_parse (SwsStr   text,
               SwsUri  *uri,
               GError **error)
{
  const char *p = text.p, *end, *colon;
  gboolean ok;

  memset (uri, 0, sizeof *uri);
  if (p == NULL || text.len == 0 || !g_ascii_isalpha (*p))
    return sws_sip_fail (error, 400, "Malformed URI");
  end = p + text.len;

  /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (§25.1) */
  colon = sws_skip_class (p + 1, end, SWS_CC_SCHEME);
  if (colon == end || *colon != ':')
    return sws_sip_fail (error, 400, "Malformed URI");

  uri->whole = text;
  uri->scheme_str = sws_str_range (p, colon);
  if (sws_str_is (uri->scheme_str, "sip"))
    uri->scheme = SWS_URI_SCHEME_SIP;
  else if (sws_str_is (uri->scheme_str, "sips"))
    uri->scheme = SWS_URI_SCHEME_SIPS;
  else if (sws_str_is (uri->scheme_str, "tel"))
    uri->scheme = SWS_URI_SCHEME_TEL;
  else
    uri->scheme = SWS_URI_SCHEME_OTHER;

  if (uri->scheme == SWS_URI_SCHEME_SIP || uri->scheme == SWS_URI_SCHEME_SIPS)
    ok = parse_sip_uri (colon + 1, end, uri);
  else  /* absoluteURI, loosely: scheme ":" 1*uric */
    ok = colon + 1 < end &&
         is_escaped_class (colon + 1, end, SWS_CC_RESERVED | SWS_CC_UNRESERVED);

  if (!ok)
    {
      memset (uri, 0, sizeof *uri);
      return sws_sip_fail (error, 400, "Malformed URI");
    }
  return TRUE;
}

gboolean
sws_uri_get_param (const SwsUri *uri,
                   const char   *name,
                   SwsStr       *value)
{
  return sws_params_get (uri->params, name, value);
}

char *
sws_uri_to_aor (const SwsUri *uri)
{
  const char *prefix;
  char *out, *o;
  gsize prefix_len;

  if (uri->scheme == SWS_URI_SCHEME_SIP)
    prefix = "sip:", prefix_len = 4;
  else if (uri->scheme == SWS_URI_SCHEME_SIPS)
    prefix = "sips:", prefix_len = 5;
  else
    return NULL;
  if (uri->host.p == NULL)
    return NULL;

  /* decoding only ever shrinks the user part */
  out = o = g_malloc (prefix_len + uri->user.len + 1 + uri->host.len + 1);
  memcpy (o, prefix, prefix_len);
  o += prefix_len;

  if (uri->user.p != NULL)
    {
      const char *u = uri->user.p, *uend = u + uri->user.len;

      while (u < uend)
        {
          int hi, lo;

          if (*u != '%' || uend - u < 3 ||
              (hi = hex_value (u[1])) < 0 || (lo = hex_value (u[2])) < 0)
            {
              *o++ = *u++;
              continue;
            }
          /* RFC 3261 §19.1.4: escaped and unescaped unreserved characters
           * are equivalent; any other escape stays, in one spelling */
          if (sws_cc ((char) (hi * 16 + lo), SWS_CC_UNRESERVED))
            *o++ = (char) (hi * 16 + lo);
          else
            {
              *o++ = '%';
              *o++ = "0123456789ABCDEF"[hi];
              *o++ = "0123456789ABCDEF"[lo];
            }
          u += 3;
        }
      *o++ = '@';
    }

  for (gsize i = 0; i < uri->host.len; i++)
    *o++ = sws_lower (uri->host.p[i]);
  *o = '\0';

  return out;
}

/* ---- generic parameter lists ---- */

void
sws_param_iter_init (SwsParamIter *iter,
                     SwsStr        params)
{
  iter->pos = params.p;
  iter->end = params.p ? params.p + params.len : NULL;
}

gboolean
sws_param_iter_next (SwsParamIter *iter,
                     SwsStr       *name,
                     SwsStr       *value)
{
  const char *p = iter->pos, *end = iter->end, *n0, *n1;
  SwsStr v;

  if (p == NULL)
    return FALSE;

  /* tolerant: empty parameters are skipped, LWS around ';' and '='
   * (RFC 3261 §25.1 SEMI, EQUAL) is allowed */
  for (;;)
    {
      p = sws_skip_lws (p, end);
      if (p >= end)
        {
          iter->pos = end;
          return FALSE;
        }
      if (*p != ';')
        break;
      p++;
    }

  n0 = p;
  while (p < end && *p != '=' && *p != ';' && !sws_is_lws (*p))
    p++;
  n1 = p;
  p = sws_skip_lws (p, end);

  if (p < end && *p == '=')
    {
      const char *v0 = p = sws_skip_lws (p + 1, end);

      if (p < end && *p == '"')
        {
          p = sws_sip_scan_quoted (p, end);
          if (p == NULL)
            p = end;
        }
      else
        while (p < end && *p != ';' && !sws_is_lws (*p))
          p++;
      v = sws_str_range (v0, p);
    }
  else
    v = sws_str (n1, 0);

  while (p < end && *p != ';')
    p++;
  iter->pos = p;

  if (name)
    *name = sws_str_range (n0, n1);
  if (value)
    *value = v;
  return TRUE;
}

gboolean
sws_params_get (SwsStr      params,
                const char *name,
                SwsStr     *value)
{
  SwsParamIter iter;
  SwsStr n, v;

  sws_param_iter_init (&iter, params);
  while (sws_param_iter_next (&iter, &n, &v))
    if (sws_str_is (n, name))
      {
        if (value)
          *value = v;
        return TRUE;
      }
  return FALSE;
}

gboolean
sws_sip_params_are_valid (SwsStr params)
{
  const char *p = params.p, *end;

  if (p == NULL)
    return TRUE;
  end = p + params.len;

  for (;;)
    {
      const char *q;

      p = sws_skip_lws (p, end);
      q = sws_skip_class (p, end, SWS_CC_TOKEN);
      if (q == p)
        return FALSE;
      p = sws_skip_lws (q, end);

      if (p < end && *p == '=')
        {
          p = sws_skip_lws (p + 1, end);
          if (p < end && *p == '"')
            {
              q = sws_sip_scan_quoted (p, end);
              if (q == NULL)
                return FALSE;
            }
          else
            {
              /* gen-value = token / host / quoted-string */
              q = p;
              while (q < end && (sws_cc (*q, SWS_CC_TOKEN) ||
                                 *q == '[' || *q == ']' || *q == ':'))
                q++;
              if (q == p)
                return FALSE;
            }
          p = sws_skip_lws (q, end);
        }

      if (p == end)
        return TRUE;
      if (*p++ != ';')
        return FALSE;
    }
}
