/* sws-sip-forward.c: rewriting messages a proxy passes on (RFC 3261 §16.6, §16.7)
 *
 * A forwarded message is the received one with a few header lines
 * changed: it is written in one pass over the parsed header list, copying
 * every other line as it came. The body is never touched (the SDP goes end
 * to end, browser to browser).
 */

#include "sws-sip-digest.h"
#include "sws-sip-forward.h"
#include "sws-sip-private.h"
#include "sws-sip-writer.h"

static void
append_line (GString    *s,
             SwsStr      name,
             SwsStr      value)
{
  g_string_append_len (s, name.p, (gssize) name.len);
  g_string_append_len (s, ": ", 2);
  g_string_append_len (s, value.p, (gssize) value.len);
  g_string_append_len (s, "\r\n", 2);
}

static guint
count_values (const SwsSipMessage *msg,
              SwsHeaderId          id)
{
  SwsValueIter iter;
  SwsStr value;
  guint n = 0;

  sws_value_iter_init (&iter, msg, id);
  while (sws_value_iter_next (&iter, &value))
    n++;
  return n;
}

/* Write the values [keep_from, keep_to) of a comma-separated header line
 * as one line, or nothing when none is left; `seen` counts values across
 * lines of the same header. */
static void
append_values (GString         *s,
               const SwsHeader *h,
               guint           *seen,
               guint            keep_from,
               guint            keep_to)
{
  SwsListIter iter;
  SwsStr value;
  gboolean any = FALSE;

  sws_list_iter_init (&iter, h->value);
  while (sws_list_iter_next (&iter, &value))
    {
      guint index = (*seen)++;

      if (index < keep_from || index >= keep_to)
        continue;
      if (!any)
        {
          g_string_append_len (s, h->name.p, (gssize) h->name.len);
          g_string_append_len (s, ": ", 2);
          any = TRUE;
        }
      else
        g_string_append_len (s, ", ", 2);
      g_string_append_len (s, value.p, (gssize) value.len);
    }
  if (any)
    g_string_append_len (s, "\r\n", 2);
}

/* Credentials for `realm`, which the next hop has no use for: keeping
 * them would hand the callee material to guess the caller's password by. */
static gboolean
is_consumed (const SwsHeader *h,
             const char      *realm)
{
  g_auto(SwsDigestCredentials) creds = { 0 };

  return realm != NULL && sws_digest_credentials_parse (h->value, &creds, NULL) &&
         g_str_equal (creds.realm, realm);
}

GBytes *
sws_sip_forward_request (const SwsSipMessage   *request,
                         const SwsForwardEdits *edits)
{
  SwsStr ruri = SWS_STR_IS_SET (edits->request_uri) ? edits->request_uri
                                                    : request->request_uri_text;
  guint n_routes = 0, routes_seen = 0, keep_to;
  gboolean first_via = TRUE, have_max_forwards = FALSE;
  GString *s;

  g_return_val_if_fail (request->is_request, NULL);
  g_return_val_if_fail (edits->via != NULL, NULL);

  if (edits->pop_last_route || edits->pop_routes > 0)
    n_routes = count_values (request, SWS_HDR_ROUTE);
  keep_to = edits->pop_last_route && n_routes > 0 ? n_routes - 1 : G_MAXUINT;

  s = g_string_sized_new (request->len + 256);

  /* §16.6 step 2; a start line with extra SP (RFC 4475 lwsstart) is
   * written normalised. */
  g_string_append_len (s, request->method_str.p, (gssize) request->method_str.len);
  g_string_append_c (s, ' ');
  g_string_append_len (s, ruri.p, (gssize) ruri.len);
  g_string_append (s, " SIP/2.0\r\n");

  /* §16.6 step 8: our Via first; step 4: Record-Route before the others. */
  g_string_append (s, "Via: ");
  g_string_append (s, edits->via);
  g_string_append_len (s, "\r\n", 2);
  if (edits->record_route != NULL)
    {
      g_string_append (s, "Record-Route: ");
      g_string_append (s, edits->record_route);
      g_string_append_len (s, "\r\n", 2);
    }

  for (guint i = 0; i < request->n_headers; i++)
    {
      const SwsHeader *h = &request->headers[i];

      switch (h->id)
        {
        case SWS_HDR_VIA:
          if (first_via)
            sws_sip_append_via_line (s, request, h);
          else
            append_line (s, h->name, h->value);
          first_via = FALSE;
          break;
        case SWS_HDR_MAX_FORWARDS:
          /* §16.6 step 3 */
          have_max_forwards = TRUE;
          if (edits->max_forwards >= 0)
            g_string_append_printf (s, "Max-Forwards: %d\r\n", edits->max_forwards);
          else
            append_line (s, h->name, h->value);
          break;
        case SWS_HDR_ROUTE:
          /* §16.4 and §16.12: our own values come off. */
          append_values (s, h, &routes_seen, edits->pop_routes, keep_to);
          break;
        case SWS_HDR_CONTENT_LENGTH:
          /* rewritten below from the body we actually copy */
          break;
        case SWS_HDR_PROXY_AUTHORIZATION:
          if (!is_consumed (h, edits->consumed_realm))
            append_line (s, h->name, h->value);
          break;
        case SWS_HDR_OTHER:
        default:
          append_line (s, h->name, h->value);
          break;
        }
    }

  if (!have_max_forwards && edits->max_forwards >= 0)
    g_string_append_printf (s, "Max-Forwards: %d\r\n", edits->max_forwards);

  return sws_sip_message_end (s, NULL, request->body.p, request->body.len);
}

GBytes *
sws_sip_forward_response (const SwsSipMessage *response)
{
  gboolean first_via = TRUE;
  GString *s;

  g_return_val_if_fail (!response->is_request, NULL);

  s = g_string_sized_new (response->len);
  g_string_append_printf (s, "SIP/2.0 %u ", response->status);
  g_string_append_len (s, response->reason.p, (gssize) response->reason.len);
  g_string_append_len (s, "\r\n", 2);

  for (guint i = 0; i < response->n_headers; i++)
    {
      const SwsHeader *h = &response->headers[i];

      if (h->id == SWS_HDR_CONTENT_LENGTH)
        continue;
      if (h->id == SWS_HDR_VIA && first_via)
        {
          guint seen = 0;

          /* §16.7 step 3: only our own value goes. */
          first_via = FALSE;
          append_values (s, h, &seen, 1, G_MAXUINT);
          continue;
        }
      append_line (s, h->name, h->value);
    }

  return sws_sip_message_end (s, NULL, response->body.p, response->body.len);
}

GString *
sws_sip_request_begin (const char *method,
                       SwsStr      request_uri,
                       const char *via)
{
  GString *s = g_string_sized_new (512);

  g_string_append (s, method);
  g_string_append_c (s, ' ');
  g_string_append_len (s, request_uri.p, (gssize) request_uri.len);
  g_string_append (s, " SIP/2.0\r\nVia: ");
  g_string_append (s, via);
  g_string_append (s, "\r\nMax-Forwards: 70\r\n");
  return s;
}

/* FNV-1a, 64 bit: fast, and the salt keeps it unpredictable enough for a
 * branch (it only needs to be unique, §8.1.1.7). */
static guint64
mix (guint64 h, const char *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      h ^= (guchar) p[i];
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  return h;
}

void
sws_sip_compute_branch (const SwsSipMessage *request,
                        guint64              salt,
                        char                 out[SWS_BRANCH_MAX])
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037) ^ salt;
  const SwsHeader *pr;
  guint32 cseq = request->cseq;

  /* §16.6 step 8 without the top Via: a request that comes back to us
   * unchanged (a loop) hashes the same, one with a new Request-URI (a
   * spiral) does not. */
  h = mix (h, request->request_uri_text.p, request->request_uri_text.len);
  h = mix (h, "\n", 1);
  h = mix (h, request->to.tag.p, request->to.tag.len);
  h = mix (h, "\n", 1);
  h = mix (h, request->from.tag.p, request->from.tag.len);
  h = mix (h, "\n", 1);
  h = mix (h, request->call_id.p, request->call_id.len);
  h = mix (h, (const char *) &cseq, sizeof cseq);
  pr = sws_sip_message_find (request, SWS_HDR_PROXY_REQUIRE);
  if (pr != NULL)
    h = mix (h, pr->value.p, pr->value.len);

  g_snprintf (out, SWS_BRANCH_MAX, "z9hG4bK%016" G_GINT64_MODIFIER "x", h);
}
