/* sws-sip-header.c: Via, name-addr/addr-spec, CSeq and comma-list parsers */

#include "sws-sip-header.h"
#include "sws-sip-private.h"

#include <string.h>

/* ---- Via (RFC 3261 §20.42, §25.1 via-parm; RFC 3581 rport) ---- */

/* sent-protocol = protocol-name SLASH protocol-version SLASH transport,
 * SLASH = SWS "/" SWS. Returns the position after the transport. */
static const char *
parse_sent_protocol (const char *p,
                     const char *end,
                     SwsVia     *via)
{
  const char *start = p, *q;

  q = sws_skip_class (p, end, SWS_CC_TOKEN);
  if (q == p)
    return NULL;
  p = sws_skip_lws (q, end);
  if (p == end || *p != '/')
    return NULL;
  p = sws_skip_lws (p + 1, end);
  q = sws_skip_class (p, end, SWS_CC_TOKEN);
  if (q == p)
    return NULL;
  via->protocol = sws_str_range (start, q);

  p = sws_skip_lws (q, end);
  if (p == end || *p != '/')
    return NULL;
  p = sws_skip_lws (p + 1, end);
  q = sws_skip_class (p, end, SWS_CC_TOKEN);
  if (q == p)
    return NULL;
  via->transport = sws_str_range (p, q);
  return q;
}

static gboolean
via_params_extract (SwsVia *via)
{
  SwsParamIter iter;
  SwsStr name, value;

  if (!sws_sip_params_are_valid (via->params))
    return FALSE;

  sws_param_iter_init (&iter, via->params);
  while (sws_param_iter_next (&iter, &name, &value))
    {
      if (sws_str_is (name, "branch"))
        {
          if (value.len == 0 || *value.p == '"')
            return FALSE;
          if (via->branch.p == NULL)
            via->branch = value;
        }
      else if (sws_str_is (name, "received"))
        {
          if (value.len == 0 || *value.p == '"')
            return FALSE;
          if (via->received.p == NULL)
            via->received = value;
        }
      else if (sws_str_is (name, "rport") && !via->has_rport)
        {
          /* response-port = "rport" [ EQUAL 1*DIGIT ] (RFC 3581 §3) */
          for (gsize i = 0; i < value.len; i++)
            if (value.p[i] < '0' || value.p[i] > '9')
              return FALSE;
          via->has_rport = TRUE;
          via->rport = value;
        }
    }
  return TRUE;
}

/* via-parm = sent-protocol LWS sent-by *( SEMI via-params ),
 * sent-by = host [ COLON port ] with COLON = SWS ":" SWS. */
static gboolean
via_parse_inner (const char *p,
                 const char *end,
                 SwsVia     *via)
{
  const char *q, *host_end;

  q = parse_sent_protocol (p, end, via);
  if (q == NULL)
    return FALSE;
  p = sws_skip_lws (q, end);
  if (p == q)
    return FALSE;

  if (p < end && *p == '[')
    {
      host_end = memchr (p, ']', (gsize) (end - p));
      if (host_end == NULL)
        return FALSE;
      host_end++;
    }
  else
    host_end = sws_skip_class (p, end, SWS_CC_HOST);
  via->host = sws_str_range (p, host_end);
  if (!sws_sip_host_is_valid (via->host))
    return FALSE;
  p = sws_skip_lws (host_end, end);

  if (p < end && *p == ':')
    {
      p = q = sws_skip_lws (p + 1, end);
      while (q < end && *q >= '0' && *q <= '9')
        q++;
      if (!sws_sip_port_parse (sws_str_range (p, q), &via->port))
        return FALSE;
      p = sws_skip_lws (q, end);
    }

  if (p == end)
    return TRUE;
  if (*p != ';')
    return FALSE;

  via->params = sws_str_range (sws_skip_lws (p + 1, end), end);
  return via_params_extract (via);
}

gboolean
sws_via_parse (SwsStr   value,
               SwsVia  *via,
               GError **error)
{
  SwsStr v = sws_str_trim (value);

  memset (via, 0, sizeof *via);
  if (v.p == NULL || v.len == 0 || !via_parse_inner (v.p, v.p + v.len, via))
    {
      memset (via, 0, sizeof *via);
      return sws_sip_fail (error, 400, "Malformed Via");
    }
  via->whole = v;
  return TRUE;
}

gboolean
sws_via_branch_is_rfc3261 (const SwsVia *via)
{
  return via->branch.len >= 7 && memcmp (via->branch.p, "z9hG4bK", 7) == 0;
}

/* ---- name-addr / addr-spec (RFC 3261 §20.10, §25.1) ---- */

/* Where the '<' of a name-addr is, after an optional display name
 * (quoted-string or tokens separated by LWS, RFC 4475 lwsdisp), or NULL
 * for the addr-spec form. *bad is set for an unterminated quote. */
static const char *
find_laquot (const char  *p,
             const char  *end,
             SwsStr      *display,
             gboolean    *bad)
{
  const char *q, *last = NULL;

  *bad = FALSE;
  if (*p == '<')
    return p;

  if (*p == '"')
    {
      q = sws_sip_scan_quoted (p, end);
      if (q == NULL)
        {
          *bad = TRUE;
          return NULL;
        }
      *display = sws_str_range (p, q);
      q = sws_skip_lws (q, end);
      if (q == end || *q != '<')
        *bad = TRUE;
      return *bad ? NULL : q;
    }

  q = p;
  for (;;)
    {
      const char *t = sws_skip_class (q, end, SWS_CC_TOKEN);

      if (t == q)
        break;
      last = t;
      q = sws_skip_lws (t, end);
    }
  if (last != NULL && q < end && *q == '<')
    {
      *display = sws_str_range (p, last);
      return q;
    }
  return NULL;
}

static gboolean
name_addr_parse_inner (const char  *p,
                       const char  *end,
                       SwsNameAddr *na)
{
  const char *laquot;
  gboolean bad;
  SwsStr tag;

  laquot = find_laquot (p, end, &na->display, &bad);
  if (bad)
    return FALSE;

  if (laquot != NULL)
    {
      const char *raquot = memchr (laquot + 1, '>', (gsize) (end - laquot - 1));

      if (raquot == NULL)
        return FALSE;
      na->uri_text = sws_str_range (laquot + 1, raquot);
      p = sws_skip_lws (raquot + 1, end);
    }
  else
    {
      /* addr-spec: the first ';' starts the header params, and a URI
       * holding ',' '?' or ';' would have needed '<>' (§20.10) */
      const char *semi = memchr (p, ';', (gsize) (end - p));
      const char *uend = semi ? semi : end;

      na->uri_text = sws_str_trim (sws_str_range (p, uend));
      if (memchr (na->uri_text.p, '?', na->uri_text.len) != NULL ||
          memchr (na->uri_text.p, ',', na->uri_text.len) != NULL)
        return FALSE;
      p = uend;
    }

  if (!sws_uri_parse (na->uri_text, &na->uri, NULL))
    return FALSE;

  if (p == end)
    return TRUE;
  if (*p != ';')
    return FALSE;

  na->params = sws_str_range (sws_skip_lws (p + 1, end), end);
  if (!sws_sip_params_are_valid (na->params))
    return FALSE;
  if (sws_params_get (na->params, "tag", &tag))
    {
      /* tag-param = "tag" EQUAL token */
      if (tag.len == 0 || *tag.p == '"')
        return FALSE;
      na->tag = tag;
    }
  return TRUE;
}

gboolean
sws_name_addr_parse (SwsStr        value,
                     gboolean      allow_star,
                     SwsNameAddr  *na,
                     GError      **error)
{
  SwsStr v = sws_str_trim (value);

  memset (na, 0, sizeof *na);
  if (v.p == NULL || v.len == 0)
    return sws_sip_fail (error, 400, "Malformed address");

  if (v.len == 1 && *v.p == '*')
    {
      if (!allow_star)
        return sws_sip_fail (error, 400, "Malformed address");
      na->whole = v;
      na->star = TRUE;
      return TRUE;
    }

  if (!name_addr_parse_inner (v.p, v.p + v.len, na))
    {
      memset (na, 0, sizeof *na);
      return sws_sip_fail (error, 400, "Malformed address");
    }
  na->whole = v;
  return TRUE;
}

/* ---- CSeq (§20.16): 1*DIGIT LWS Method ---- */

gboolean
sws_cseq_parse (SwsStr    value,
                guint32  *number,
                SwsStr   *method,
                GError  **error)
{
  SwsStr v = sws_str_trim (value);
  const char *p, *end, *q, *m;
  guint64 n;

  if (v.p == NULL || v.len == 0)
    return sws_sip_fail (error, 400, "Malformed CSeq");
  p = v.p;
  end = p + v.len;

  for (q = p; q < end && *q >= '0' && *q <= '9'; q++)
    ;
  /* the number is below 2^31 for RFC 3261 §8.1.1.5 but any 32-bit value
   * is accepted on receipt (§20.16) */
  if (!sws_str_to_uint64 (sws_str_range (p, q), G_MAXUINT32, &n))
    return sws_sip_fail (error, 400, "Malformed CSeq");

  m = sws_skip_lws (q, end);
  if (m == q || m == end || sws_skip_class (m, end, SWS_CC_TOKEN) != end)
    return sws_sip_fail (error, 400, "Malformed CSeq");

  if (number)
    *number = (guint32) n;
  if (method)
    *method = sws_str_range (m, end);
  return TRUE;
}

/* ---- comma-separated lists (§7.3.1) ---- */

void
sws_list_iter_init (SwsListIter *iter,
                    SwsStr       value)
{
  SwsStr v = sws_str_trim (value);

  /* an empty value has no elements at all */
  if (v.p == NULL || v.len == 0)
    {
      iter->pos = iter->end = NULL;
      return;
    }
  iter->pos = v.p;
  iter->end = v.p + v.len;
}

gboolean
sws_list_iter_next (SwsListIter *iter,
                    SwsStr      *element)
{
  const char *p = iter->pos, *end = iter->end, *start;
  gboolean in_angle = FALSE;

  if (p == NULL)
    return FALSE;

  start = p;
  while (p < end)
    {
      char c = *p;

      if (in_angle)
        in_angle = c != '>';
      else if (c == '<')
        in_angle = TRUE;
      else if (c == ',')
        break;
      else if (c == '"')
        {
          /* tolerant: an unterminated quote runs to the end */
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\' && p + 1 < end)
              p++;
          if (p == end)
            break;
        }
      p++;
    }

  if (element)
    *element = sws_str_trim (sws_str_range (start, p));
  /* after a trailing ',' one last empty element is returned */
  iter->pos = p < end ? p + 1 : NULL;
  return TRUE;
}
