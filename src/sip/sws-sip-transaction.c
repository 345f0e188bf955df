/* sws-sip-transaction.c: transaction identity (RFC 3261 §17.1.3, §17.2.3)
 *
 * Matching only: the state machines are trivial over a reliable transport
 * (no retransmission timers) and live with the proxy that acts on them.
 */

#include "sws-sip-transaction.h"

static void
append_lower (GString *out, SwsStr s)
{
  for (gsize i = 0; i < s.len; i++)
    g_string_append_c (out, g_ascii_tolower (s.p[i]));
}

void
sws_sip_server_key (const SwsSipMessage *request,
                    SwsMethod            method,
                    GString             *out)
{
  const SwsVia *via = &request->top_via;
  const char *name = sws_method_to_string (method);

  g_string_truncate (out, 0);

  if (sws_via_branch_is_rfc3261 (via))
    {
      /* §17.2.3: branch, sent-by, method. The branch compares
       * case-sensitively, the host does not. */
      g_string_append_len (out, via->branch.p, (gssize) via->branch.len);
      g_string_append_c (out, '|');
      append_lower (out, via->host);
      g_string_append_printf (out, ":%u|", via->port);
    }
  else
    {
      /* RFC 2543 (§17.2.3 last paragraphs): no usable branch, so the
       * request's identity stands in. The To tag is left out: the ACK
       * carries the tag of our response, the INVITE carried none. */
      g_string_append (out, "2543|");
      g_string_append_len (out, request->request_uri_text.p, (gssize) request->request_uri_text.len);
      g_string_append_c (out, '|');
      g_string_append_len (out, request->from.tag.p, (gssize) request->from.tag.len);
      g_string_append_c (out, '|');
      g_string_append_len (out, request->call_id.p, (gssize) request->call_id.len);
      g_string_append_printf (out, "|%u|", request->cseq);
      g_string_append_len (out, via->whole.p, (gssize) via->whole.len);
      g_string_append_c (out, '|');
    }

  if (name != NULL)
    g_string_append (out, name);
  else
    g_string_append_len (out, request->method_str.p, (gssize) request->method_str.len);
}

gboolean
sws_sip_response_branch (const SwsSipMessage *response,
                         SwsStr              *branch)
{
  if (!SWS_STR_IS_SET (response->top_via.branch) || response->top_via.branch.len == 0)
    return FALSE;
  *branch = response->top_via.branch;
  return TRUE;
}
