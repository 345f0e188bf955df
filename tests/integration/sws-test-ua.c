/* sws-test-ua.c: a hand-driven SIP user agent over a test WebSocket client
 *
 * Tests play both ends of a call themselves; these helpers build the
 * messages a softphone would, with the daemon's own SIP core reading
 * what comes back.
 */

#include "sws-sip-writer.h"
#include "sws-test-ua.h"

void
sws_test_ua_register (SwsTestClient *client,
                      const char    *aor,
                      const char    *contact_uri,
                      guint          cseq)
{
  g_autofree char *call_id = g_strdup_printf ("reg-%u", g_str_hash (contact_uri));
  g_autofree char *bracketed = g_strdup_printf ("<%s>", contact_uri);
  g_autofree char *req = sws_test_build_register (aor, bracketed, 600, call_id, cseq);
  g_autofree char *resp = sws_test_client_request (client, req);

  g_assert_nonnull (resp);
  g_assert_cmpuint (sws_test_status_code (resp), ==, 200);
}

SwsSipMessage *
sws_test_ua_recv (SwsTestClient *client)
{
  g_autofree char *text = sws_test_client_recv (client, SWS_TEST_RECV_TIMEOUT_MS);
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL;

  if (text == NULL)
    g_error ("nothing received within %u ms", SWS_TEST_RECV_TIMEOUT_MS);
  if (!sws_sip_message_parse_data (text, -1, &msg, &error))
    g_error ("unparsable message (%s):\n%s", error->message, text);
  return msg;
}

void
sws_test_ua_respond (SwsTestClient *client,
                     SwsSipMessage *request,
                     guint          status,
                     const char    *reason,
                     const char    *tag,
                     const char    *contact_uri)
{
  GString *s = sws_sip_response_begin (request, status, reason, tag);
  const SwsHeader *rr = sws_sip_message_find (request, SWS_HDR_RECORD_ROUTE);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (rr != NULL && status > 100 && status < 300)
    g_string_append_printf (s, "Record-Route: %.*s\r\n", (int) rr->value.len, rr->value.p);
  if (contact_uri != NULL)
    g_string_append_printf (s, "Contact: <%s>\r\n", contact_uri);
  bytes = sws_sip_message_end (s, NULL, NULL, 0);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  sws_test_client_send (client, text);
}

char *
sws_test_ua_in_dialog (const char *method,
                       const char *target,
                       const char *route,
                       const char *from,
                       const char *to,
                       const char *call_id,
                       guint       cseq)
{
  g_autofree char *branch = sws_test_new_token (12);

  return g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS ua.invalid;branch=z9hG4bK%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "Route: %s\r\n"
                          "From: %s\r\nTo: %s\r\n"
                          "Call-ID: %s\r\nCSeq: %u %s\r\n"
                          "Content-Length: 0\r\n\r\n",
                          method, target, branch, route, from, to, call_id, cseq, method);
}
