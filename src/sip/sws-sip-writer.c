/* sws-sip-writer.c: responses built from a request, Content-Length, dates */

#include "config.h"

#include "sws-sip-writer.h"
#include "sws-sip-private.h"

#include <string.h>
#include <time.h>

static void
append_uint (GString *s,
             guint64  v)
{
  char buf[24];
  char *p = buf + sizeof buf;

  do
    {
      *--p = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  g_string_append_len (s, p, buf + sizeof buf - p);
}

static void
append_str (GString *s,
            SwsStr   v)
{
  if (v.len > 0)
    g_string_append_len (s, v.p, (gssize) v.len);
}

/* Copy a header value with each fold (CRLF + WSP, §7.3.1) written as one
 * SP: folding is legal but some WebSocket clients do not expect it. */
static void
append_unfolded (GString *s,
                 SwsStr   v)
{
  const char *p = v.p, *end = p + v.len;

  while (p < end)
    {
      const char *cr = memchr (p, '\r', (gsize) (end - p));
      const char *lf = memchr (p, '\n', (gsize) (end - p));
      const char *brk = cr == NULL ? lf : (lf == NULL || cr < lf) ? cr : lf;
      const char *q;

      if (brk == NULL)
        {
          g_string_append_len (s, p, end - p);
          return;
        }
      q = brk;
      while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
        q--;
      g_string_append_len (s, p, q - p);
      g_string_append_c (s, ' ');
      p = sws_skip_lws (brk, end);
    }
}

static void
append_header (GString    *s,
               const char *name,
               SwsStr      value)
{
  g_string_append (s, name);
  g_string_append_len (s, ": ", 2);
  append_unfolded (s, value);
  g_string_append_len (s, "\r\n", 2);
}

/* The top Via with received and rport set (§18.2.1, RFC 3581 §4): other
 * parameters keep their order, an existing received or rport is replaced
 * in place, a missing received is added at the end. */
static void
append_top_via (GString             *s,
                const SwsSipMessage *request,
                const SwsVia        *via,
                SwsStr               line_value)
{
  const char *via_end = via->whole.p + via->whole.len;
  const char *value_end = line_value.p + line_value.len;
  gboolean received_done = FALSE;
  SwsStr prefix = via->whole;

  if (via->params.p != NULL)
    {
      /* sent-protocol and sent-by, without the ';' and LWS around it */
      const char *q = via->params.p;

      while (q > via->whole.p && (sws_is_lws (q[-1]) || q[-1] == ';'))
        q--;
      prefix = sws_str_range (via->whole.p, q);
    }

  g_string_append_len (s, "Via: ", 5);
  append_unfolded (s, prefix);

  if (via->params.p != NULL)
    {
      SwsParamIter iter;
      SwsStr name, value;

      sws_param_iter_init (&iter, via->params);
      while (sws_param_iter_next (&iter, &name, &value))
        {
          if (received_done && sws_str_is (name, "received"))
            continue;
          g_string_append_c (s, ';');
          if (sws_str_is (name, "received"))
            {
              g_string_append (s, "received=");
              g_string_append (s, request->source_ip);
              received_done = TRUE;
            }
          else if (sws_str_is (name, "rport"))
            {
              g_string_append (s, "rport=");
              append_uint (s, request->source_port);
            }
          else
            {
              append_str (s, name);
              if (value.len > 0)
                {
                  g_string_append_c (s, '=');
                  append_unfolded (s, value);
                }
            }
        }
    }

  if (!received_done)
    {
      g_string_append (s, ";received=");
      g_string_append (s, request->source_ip);
    }

  /* the other elements of the first Via line stay as they are */
  append_unfolded (s, sws_str_range (via_end, value_end));
  g_string_append_len (s, "\r\n", 2);
}

/* The parsed top Via of the request when it lies in this header line.
 * A request whose parse stopped before the Via (e.g. a 505 on the start
 * line) gets it parsed here; one whose Via is broken gets NULL. */
static const SwsVia *
top_via_of (const SwsSipMessage *request,
            const SwsHeader     *h,
            SwsVia              *storage)
{
  const char *p = request->top_via.whole.p;
  SwsListIter iter;
  SwsStr first;

  if (p != NULL)
    return (p >= h->value.p &&
            p + request->top_via.whole.len <= h->value.p + h->value.len) ?
           &request->top_via : NULL;

  sws_list_iter_init (&iter, h->value);
  if (sws_list_iter_next (&iter, &first) && sws_via_parse (first, storage, NULL))
    return storage;
  return NULL;
}

void
sws_sip_append_via_line (GString             *s,
                         const SwsSipMessage *request,
                         const SwsHeader     *h)
{
  const SwsVia *via = NULL;
  SwsVia storage;

  g_return_if_fail (h->id == SWS_HDR_VIA);

  if (h == sws_sip_message_find (request, SWS_HDR_VIA) && request->source_ip[0] != '\0')
    via = top_via_of (request, h, &storage);
  if (via != NULL)
    append_top_via (s, request, via, h->value);
  else
    append_header (s, "Via", h->value);
}

GString *
sws_sip_response_begin (const SwsSipMessage *request,
                        guint                status,
                        const char          *reason,
                        const char          *to_tag)
{
  GString *s;
  const SwsHeader *h;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (status >= 100 && status <= 699, NULL);

  s = g_string_sized_new (512);
  g_string_append_len (s, "SIP/2.0 ", 8);
  append_uint (s, status);
  g_string_append_c (s, ' ');
  g_string_append (s, reason ? reason : "");
  g_string_append_len (s, "\r\n", 2);

  /* every Via, in order (§8.2.6.2) */
  for (guint i = 0; i < request->n_headers; i++)
    if (request->headers[i].id == SWS_HDR_VIA)
      sws_sip_append_via_line (s, request, &request->headers[i]);

  h = sws_sip_message_find (request, SWS_HDR_FROM);
  if (h != NULL)
    append_header (s, "From", h->value);

  h = sws_sip_message_find (request, SWS_HDR_TO);
  if (h != NULL)
    {
      SwsNameAddr parsed;
      const SwsNameAddr *to = &request->to;

      append_header (s, "To", h->value);
      /* §8.2.6.2: the UAS adds a tag unless the request had one; a To that
       * does not parse is copied as is */
      if (to->whole.p == NULL && sws_name_addr_parse (h->value, FALSE, &parsed, NULL))
        to = &parsed;
      if (to_tag != NULL && status > 100 && to->whole.p != NULL && to->tag.p == NULL)
        {
          g_string_truncate (s, s->len - 2);
          g_string_append_len (s, ";tag=", 5);
          g_string_append (s, to_tag);
          g_string_append_len (s, "\r\n", 2);
        }
    }

  h = sws_sip_message_find (request, SWS_HDR_CALL_ID);
  if (h != NULL)
    append_header (s, "Call-ID", h->value);
  h = sws_sip_message_find (request, SWS_HDR_CSEQ);
  if (h != NULL)
    append_header (s, "CSeq", h->value);

  return s;
}

void
sws_sip_make_tag (char out[17])
{
  /* Unique, not secret (§19.3): a random 64-bit start, then a counter
   * mixed so that consecutive tags do not look alike. */
  static guint64 state;
  static const char hex[] = "0123456789abcdef";
  guint64 v;

  if (state == 0)
    state = ((guint64) g_random_int () << 32) | g_random_int () | 1;
  state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  v = state;
  v = (v ^ (v >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  v = (v ^ (v >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  v ^= v >> 31;
  for (int i = 15; i >= 0; i--, v >>= 4)
    out[i] = hex[v & 0xf];
  out[16] = '\0';
}

GBytes *
sws_sip_response_simple (const SwsSipMessage *request,
                         guint                status,
                         const char          *reason,
                         const char          *extra_headers)
{
  char tag[17];
  GString *s;

  sws_sip_make_tag (tag);
  s = sws_sip_response_begin (request, status, reason, tag);
  if (extra_headers != NULL)
    g_string_append (s, extra_headers);
  g_string_append (s, "Server: sipws/" PACKAGE_VERSION "\r\n");
  return sws_sip_message_end (s, NULL, NULL, 0);
}

GBytes *
sws_sip_message_end (GString    *msg,
                     const char *content_type,
                     const char *body,
                     gsize       body_len)
{
  g_return_val_if_fail (msg != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_len == 0, NULL);

  if (body_len > 0 && content_type != NULL)
    {
      g_string_append (msg, "Content-Type: ");
      g_string_append (msg, content_type);
      g_string_append_len (msg, "\r\n", 2);
    }
  g_string_append (msg, "Content-Length: ");
  append_uint (msg, body_len);
  g_string_append_len (msg, "\r\n\r\n", 4);
  if (body_len > 0)
    g_string_append_len (msg, body, (gssize) body_len);

  return g_string_free_to_bytes (msg);
}

void
sws_sip_append_date (GString *s,
                     gint64   unix_seconds)
{
  /* RFC 1123 names, never strftime(): the locale must not leak in */
  static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
  static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  /* One formatting per second: every REGISTER answer carries a Date. */
  static gint64 cached_seconds = -1;
  static char cached[32];
  time_t t = (time_t) unix_seconds;
  struct tm tm;

  if (unix_seconds != cached_seconds)
    {
      if ((gint64) t != unix_seconds || gmtime_r (&t, &tm) == NULL ||
          tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
        {
          t = 0;
          gmtime_r (&t, &tm);
        }
      g_snprintf (cached, sizeof cached, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                  tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
      cached_seconds = unix_seconds;
    }
  g_string_append (s, cached);
}
