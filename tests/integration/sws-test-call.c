/* sws-test-call.c: user agents played by hand, for the call tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are built here as text, what the daemon forwards is read as
 * text and answered the way a UAS answers (RFC 3261 §8.2.6, §12.1.1).
 * The checks say what the stateful proxy of §16 must have done to every
 * message on its way: what it adds (Via, Record-Route), changes
 * (Request-URI, Max-Forwards), removes (its Via on the way back, its
 * Route), and what it answers or absorbs itself.
 */

#include <stdlib.h>
#include <string.h>

#include "sws-test-call.h"

const char sws_test_sdp_offer[] =
  "v=0\r\n"
  "o=alice 2890844526 2890844526 IN IP4 127.0.0.1\r\n"
  "s=-\r\n"
  "c=IN IP4 127.0.0.1\r\n"
  "t=0 0\r\n"
  "m=audio 49170 UDP/TLS/RTP/SAVPF 111\r\n"
  "a=rtpmap:111 opus/48000/2\r\n";

const char sws_test_sdp_answer[] =
  "v=0\r\n"
  "o=bob 2808844564 2808844564 IN IP4 127.0.0.1\r\n"
  "s=-\r\n"
  "c=IN IP4 127.0.0.1\r\n"
  "t=0 0\r\n"
  "m=audio 49172 UDP/TLS/RTP/SAVPF 111\r\n"
  "a=rtpmap:111 opus/48000/2\r\n";

void
sws_test_call_clear (SwsTestCall *call)
{
  g_clear_pointer (&call->call_id, g_free);
  g_clear_pointer (&call->invite, g_free);
  g_clear_pointer (&call->caller_from, g_free);
  g_clear_pointer (&call->callee_to, g_free);
  g_clear_pointer (&call->callee_contact, g_free);
  g_clear_pointer (&call->route, g_free);
  memset (call, 0, sizeof *call);
}

const char *
sws_test_call_contact (SwsTestClient *client)
{
  return sws_test_client_get_contact_uri (client);
}

void
sws_test_call_register (SwsTestClient *client,
                        const char    *aor)
{
  g_autofree char *contact = g_strdup_printf ("<%s>", sws_test_call_contact (client));
  g_autofree char *request = sws_test_build_register (aor, contact, -1, NULL, 1);
  g_autofree char *response = sws_test_client_request (client, request);

  g_assert_nonnull (response);
  g_assert_cmpuint (sws_test_status_code (response), ==, 200);
}

void
sws_test_call_fixture_setup (SwsTestCallFixture *fixture,
                             gconstpointer       user_data)
{
  guint invite_timeout = GPOINTER_TO_UINT (user_data);
  guint16 port;

  fixture->daemon = sws_test_daemon_new ();
  if (invite_timeout > 0)
    g_key_file_set_integer (sws_test_daemon_get_config (fixture->daemon),
                            "proxy", "invite-timeout", (int) invite_timeout);
  sws_test_daemon_start (fixture->daemon);

  port = sws_test_daemon_get_port (fixture->daemon);
  fixture->via_pattern = g_strdup_printf ("^SIP/2\\.0/WS 127\\.0\\.0\\.1:%u"
                                          ";branch=z9hG4bK[^;,\\s]+$", port);
  fixture->route_pattern = g_strdup_printf ("^<sip:127\\.0\\.0\\.1:%u;transport=ws;lr"
                                            ";sws=[0-9]+\\.[0-9]+\\.[0-9a-f]{16}>$", port);

  fixture->alice = sws_test_client_new_for_daemon (fixture->daemon);
  fixture->bob = sws_test_client_new_for_daemon (fixture->daemon);
  sws_test_call_register (fixture->alice, SWS_TEST_ALICE);
  sws_test_call_register (fixture->bob, SWS_TEST_BOB);
}

void
sws_test_call_fixture_teardown (SwsTestCallFixture *fixture,
                                gconstpointer       user_data)
{
  g_clear_pointer (&fixture->alice, sws_test_client_free);
  g_clear_pointer (&fixture->bob, sws_test_client_free);
  g_clear_pointer (&fixture->bob2, sws_test_client_free);
  /* Also checks that the daemon survived and exits cleanly. */
  sws_test_daemon_stop (fixture->daemon);
  g_clear_pointer (&fixture->daemon, sws_test_daemon_free);
  g_clear_pointer (&fixture->via_pattern, g_free);
  g_clear_pointer (&fixture->route_pattern, g_free);
}

/* ---- building requests ---- */

char *
sws_test_call_new_via (void)
{
  g_autofree char *host = sws_test_new_token (12);
  g_autofree char *branch = sws_test_new_token (16);

  /* A browser's Via: an unresolvable host, no rport (RFC 7118 §5.2). */
  return g_strdup_printf ("SIP/2.0/WS %s.invalid;branch=z9hG4bK%s", host, branch);
}

char *
sws_test_call_build_invite (SwsTestCall   *call,
                            SwsTestClient *caller,
                            const char    *request_uri,
                            int            max_forwards)
{
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *via = NULL;

  sws_test_call_clear (call);
  call->caller = caller;
  call->call_id = sws_test_new_token (20);
  via = sws_test_call_new_via ();
  call->caller_from = g_strdup_printf ("\"Alice\" <%s>;tag=%s", SWS_TEST_ALICE, tag);
  call->caller_cseq = 1;
  call->invite = g_strdup_printf ("INVITE %s SIP/2.0\r\n"
                                  "Via: %s\r\n"
                                  "Max-Forwards: %d\r\n"
                                  "To: <%s>\r\n"
                                  "From: %s\r\n"
                                  "Call-ID: %s\r\n"
                                  "CSeq: 1 INVITE\r\n"
                                  "Contact: <%s>\r\n"
                                  "Content-Type: application/sdp\r\n"
                                  "Content-Length: %zu\r\n"
                                  "\r\n%s",
                                  request_uri, via, max_forwards,
                                  request_uri, call->caller_from, call->call_id,
                                  sws_test_call_contact (caller),
                                  strlen (sws_test_sdp_offer), sws_test_sdp_offer);

  return g_strdup (call->invite);
}

/* CANCEL (§9.1) and the ACK of a non-2xx final (§17.1.1.3) belong to the
 * transaction of @request: its Request-URI, Via, Route, From, Call-ID and
 * CSeq number; the ACK takes the To of the response. */
char *
sws_test_call_build_same_txn (const char *request,
                              const char *method,
                              const char *to)
{
  g_autofree char *uri = sws_test_request_uri (request);
  g_autofree char *via = sws_test_header (request, "Via");
  g_autofree char *route = sws_test_header (request, "Route");
  g_autofree char *from = sws_test_header (request, "From");
  g_autofree char *own_to = sws_test_header (request, "To");
  g_autofree char *call_id = sws_test_header (request, "Call-ID");
  g_autofree char *cseq = sws_test_header (request, "CSeq");
  g_autofree char *route_line = NULL;

  if (route != NULL)
    route_line = g_strdup_printf ("Route: %s\r\n", route);

  return g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: %s\r\n"
                          "Max-Forwards: 70\r\n"
                          "%s"
                          "To: %s\r\n"
                          "From: %s\r\n"
                          "Call-ID: %s\r\n"
                          "CSeq: %lu %s\r\n"
                          "Content-Length: 0\r\n"
                          "\r\n",
                          method, uri, via, route_line ? route_line : "",
                          to != NULL ? to : own_to, from, call_id,
                          strtoul (cseq, NULL, 10), method);
}

/* A request inside the dialog (§12.2.1.1): Request-URI the remote target,
 * Route the route set, a new branch, and for an ACK of a 2xx the CSeq
 * number of its INVITE (§13.2.2.4). */
char *
sws_test_call_build_in_dialog (SwsTestCall *call,
                               gboolean     by_caller,
                               const char  *method,
                               guint32      cseq,
                               const char  *content_type,
                               const char  *body)
{
  g_autofree char *via = sws_test_call_new_via ();
  g_autofree char *contact = NULL;
  g_autofree char *type = NULL;
  const char *target = by_caller ? call->callee_contact : sws_test_call_contact (call->caller);

  if (g_str_equal (method, "INVITE"))
    contact = g_strdup_printf ("Contact: <%s>\r\n",
                               sws_test_call_contact (by_caller ? call->caller : call->callee));
  if (content_type != NULL)
    type = g_strdup_printf ("Content-Type: %s\r\n", content_type);
  if (body == NULL)
    body = "";

  return g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: %s\r\n"
                          "Max-Forwards: 70\r\n"
                          "Route: %s\r\n"
                          "From: %s\r\n"
                          "To: %s\r\n"
                          "Call-ID: %s\r\n"
                          "CSeq: %u %s\r\n"
                          "%s%s"
                          "Content-Length: %zu\r\n"
                          "\r\n%s",
                          method, target, via, call->route,
                          by_caller ? call->caller_from : call->callee_to,
                          by_caller ? call->callee_to : call->caller_from,
                          call->call_id, cseq, method,
                          contact ? contact : "", type ? type : "",
                          strlen (body), body);
}

/* A MESSAGE outside any dialog (RFC 3428 §4). */
char *
sws_test_call_build_message (const char *from_aor,
                             const char *to_aor,
                             const char *text)
{
  g_autofree char *via = sws_test_call_new_via ();
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *call_id = sws_test_new_token (20);

  return g_strdup_printf ("MESSAGE %s SIP/2.0\r\n"
                          "Via: %s\r\n"
                          "Max-Forwards: 70\r\n"
                          "To: <%s>\r\n"
                          "From: <%s>;tag=%s\r\n"
                          "Call-ID: %s\r\n"
                          "CSeq: 1 MESSAGE\r\n"
                          "Content-Type: text/plain;charset=UTF-8\r\n"
                          "Content-Length: %zu\r\n"
                          "\r\n%s",
                          to_aor, via, to_aor, from_aor, tag, call_id,
                          strlen (text), text);
}

/* ---- reading what arrives ---- */

char *
sws_test_call_expect_request_within (SwsTestClient *client,
                                     const char    *method,
                                     guint          timeout_ms)
{
  g_autofree char *message = sws_test_client_recv (client, timeout_ms);
  g_autofree char *got = NULL;

  if (message == NULL)
    g_test_message ("no %s request within %u ms", method, timeout_ms);
  g_assert_nonnull (message);

  got = sws_test_method (message);
  if (g_strcmp0 (got, method) != 0)
    g_test_message ("expected a %s request, got:\n%s", method, message);
  g_assert_cmpstr (got, ==, method);

  return g_steal_pointer (&message);
}

char *
sws_test_call_expect_request (SwsTestClient *client,
                              const char    *method)
{
  return sws_test_call_expect_request_within (client, method, SWS_TEST_RECV_TIMEOUT_MS);
}

/* The next message, which must be a @status response for @cseq. */
char *
sws_test_call_expect_response (SwsTestClient *client,
                               guint          status,
                               const char    *cseq)
{
  g_autofree char *message = sws_test_client_recv (client, SWS_TEST_RECV_TIMEOUT_MS);
  g_autofree char *got_cseq = NULL;

  if (message == NULL)
    g_test_message ("no %u response to %s within %u ms", status, cseq,
                    SWS_TEST_RECV_TIMEOUT_MS);
  g_assert_nonnull (message);

  if (sws_test_status_code (message) != status)
    g_test_message ("expected %u for %s, got:\n%s", status, cseq, message);
  g_assert_cmpuint (sws_test_status_code (message), ==, status);
  got_cseq = sws_test_header (message, "CSeq");
  g_assert_cmpstr (got_cseq, ==, cseq);

  return g_steal_pointer (&message);
}

/* Nothing more reaches anybody: one wait for all the clients. */
void
sws_test_call_expect_quiet (SwsTestCallFixture *fixture)
{
  SwsTestClient *clients[] = { fixture->alice, fixture->bob, fixture->bob2 };

  sws_test_sleep (SWS_TEST_SILENCE_MS);
  for (gsize i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *message = NULL;

      if (clients[i] == NULL)
        continue;
      message = sws_test_client_recv (clients[i], 0);
      if (message != NULL)
        g_test_message ("client %zu got an unexpected message:\n%s", i, message);
      g_assert_null (message);
    }
}

void
sws_test_call_assert_header (const char *message,
                             const char *name,
                             const char *expected)
{
  g_autofree char *value = sws_test_header (message, name);

  g_assert_cmpstr (value, ==, expected);
}

void
sws_test_call_assert_same_header (const char *message,
                                  const char *original,
                                  const char *name)
{
  g_autofree char *expected = sws_test_header (original, name);

  sws_test_call_assert_header (message, name, expected);
}

void
sws_test_call_assert_matches (const char *pattern,
                              const char *value)
{
  if (value == NULL || !g_regex_match_simple (pattern, value, 0, 0))
    g_test_message ("\"%s\" does not match /%s/", value ? value : "(none)", pattern);
  g_assert_nonnull (value);
  g_assert_true (g_regex_match_simple (pattern, value, 0, 0));
}

/* The Via the sender put on top comes back with the address the request
 * came from when the host is not that address (§18.2.1); the others
 * come back as they were. */
static void
assert_vias (char  **vias,
             char  **sent_vias,
             guint   offset)
{
  g_assert_cmpuint (g_strv_length (vias), ==, g_strv_length (sent_vias) + offset);
  for (guint i = 0; sent_vias[i] != NULL; i++)
    {
      const char *via = vias[i + offset];

      if (i == 0 && g_str_has_prefix (via, sent_vias[0]))
        {
          const char *rest = via + strlen (sent_vias[0]);

          if (rest[0] != '\0')
            sws_test_call_assert_matches ("^;received=127\\.0\\.0\\.1$", rest);
        }
      else
        g_assert_cmpstr (via, ==, sent_vias[i]);
    }
}

/* What §16.6 makes of a request: Request-URI the target (step 6), Max-Forwards
 * one less (step 3), Record-Route on a dialog-creating request (step 4), the
 * proxy's Via on top (step 8), our Route gone (§16.4); all else as sent. */
void
sws_test_call_assert_forwarded (SwsTestCallFixture *fixture,
                                const char         *forwarded,
                                const char         *sent,
                                const char         *request_uri,
                                gboolean            record_routed)
{
  g_autofree char *method = sws_test_method (sent);
  g_autofree char *got_method = sws_test_method (forwarded);
  g_autofree char *got_uri = sws_test_request_uri (forwarded);
  g_autofree char *max_forwards = sws_test_header (sent, "Max-Forwards");
  g_autofree char *decremented = NULL;
  g_autofree char *route = sws_test_header (forwarded, "Route");
  g_auto(GStrv) sent_vias = sws_test_header_list (sent, "Via");
  g_auto(GStrv) vias = sws_test_header_list (forwarded, "Via");
  g_auto(GStrv) record_routes = sws_test_header_list (forwarded, "Record-Route");
  const char *same[] = { "From", "To", "Call-ID", "CSeq", "Contact", "Content-Type" };

  g_assert_cmpstr (got_method, ==, method);
  g_assert_cmpstr (got_uri, ==, request_uri);

  sws_test_call_assert_matches (fixture->via_pattern, vias[0]);
  assert_vias (vias, sent_vias, 1);

  decremented = g_strdup_printf ("%d", atoi (max_forwards) - 1);
  sws_test_call_assert_header (forwarded, "Max-Forwards", decremented);

  g_assert_null (route);
  if (record_routed)
    {
      g_assert_cmpuint (g_strv_length (record_routes), ==, 1);
      sws_test_call_assert_matches (fixture->route_pattern, record_routes[0]);
    }
  else
    g_assert_cmpuint (g_strv_length (record_routes), ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    sws_test_call_assert_same_header (forwarded, sent, same[i]);
  g_assert_cmpstr (sws_test_body (forwarded), ==, sws_test_body (sent));
}

/* §16.7 step 3: a relayed response carries exactly the Vias of the request
 * it answers, the proxy's own taken off. */
void
sws_test_call_assert_relayed (const char *response,
                              const char *request)
{
  g_auto(GStrv) vias = sws_test_header_list (response, "Via");
  g_auto(GStrv) sent_vias = sws_test_header_list (request, "Via");

  assert_vias (vias, sent_vias, 0);
  sws_test_call_assert_same_header (response, request, "From");
  sws_test_call_assert_same_header (response, request, "Call-ID");
}

/* The ACK the proxy sends for a non-2xx final it received (§17.1.1.3):
 * the forwarded INVITE's Request-URI, its top Via (same branch) alone,
 * the response's To. */
void
sws_test_call_expect_proxy_ack (SwsTestClient *client,
                                const char    *forwarded_invite,
                                const char    *response)
{
  g_autofree char *ack = sws_test_call_expect_request (client, "ACK");
  g_autofree char *uri = sws_test_request_uri (ack);
  g_autofree char *invite_uri = sws_test_request_uri (forwarded_invite);
  g_autofree char *invite_cseq = sws_test_header (forwarded_invite, "CSeq");
  g_autofree char *cseq = g_strdup_printf ("%lu ACK", strtoul (invite_cseq, NULL, 10));
  g_auto(GStrv) vias = sws_test_header_list (ack, "Via");
  g_auto(GStrv) invite_vias = sws_test_header_list (forwarded_invite, "Via");

  g_assert_cmpstr (uri, ==, invite_uri);
  g_assert_cmpuint (g_strv_length (vias), ==, 1);
  g_assert_cmpstr (vias[0], ==, invite_vias[0]);
  sws_test_call_assert_same_header (ack, forwarded_invite, "From");
  sws_test_call_assert_same_header (ack, forwarded_invite, "Call-ID");
  sws_test_call_assert_same_header (ack, response, "To");
  sws_test_call_assert_header (ack, "CSeq", cseq);
}

/* ---- acting as the user agents ---- */

/* @client answers @request; an INVITE's 18x and 2xx carry its Contact
 * and the 2xx an SDP answer. */
char *
sws_test_call_answer (SwsTestClient *client,
                      const char    *request,
                      guint          status,
                      const char    *reason,
                      const char    *tag)
{
  g_autofree char *method = sws_test_method (request);
  g_autofree char *response = NULL;
  gboolean invite = g_strcmp0 (method, "INVITE") == 0;
  gboolean dialog = invite && status > 100 && status < 300;
  gboolean sdp = invite && status >= 200 && status < 300;

  response = sws_test_build_response (request, status, reason, tag,
                                      dialog ? sws_test_call_contact (client) : NULL,
                                      sdp ? "Content-Type: application/sdp\r\n" : NULL,
                                      sdp ? sws_test_sdp_answer : NULL);
  sws_test_client_send (client, response);

  return g_steal_pointer (&response);
}

/* The caller sends the INVITE and hears 100 Trying at once (§16.2). */
char *
sws_test_call_start (SwsTestCallFixture *fixture,
                     SwsTestCall        *call,
                     SwsTestClient      *callee)
{
  g_autofree char *invite = sws_test_call_build_invite (call, fixture->alice, SWS_TEST_BOB, 70);
  g_autofree char *trying = NULL;
  g_autofree char *forwarded = NULL;

  sws_test_client_send (fixture->alice, invite);
  trying = sws_test_call_expect_response (fixture->alice, 100, "1 INVITE");
  sws_test_call_assert_relayed (trying, invite);

  /* §16.5: the Request-URI becomes the registered Contact. */
  forwarded = sws_test_call_expect_request (callee, "INVITE");
  sws_test_call_assert_forwarded (fixture, forwarded, invite,
                                  sws_test_call_contact (callee), TRUE);

  return g_steal_pointer (&forwarded);
}

/* The callee rings; the caller hears the 180, never the callee's 100. */
void
sws_test_call_ring (SwsTestCallFixture *fixture,
                    SwsTestCall        *call,
                    SwsTestClient      *callee,
                    const char         *forwarded,
                    const char         *tag)
{
  g_autofree char *ringing = NULL;
  g_autofree char *record_route = sws_test_header (forwarded, "Record-Route");

  g_free (sws_test_call_answer (callee, forwarded, 100, "Trying", NULL));
  g_free (sws_test_call_answer (callee, forwarded, 180, "Ringing", tag));
  ringing = sws_test_call_expect_response (fixture->alice, 180, "1 INVITE");
  sws_test_call_assert_relayed (ringing, call->invite);
  sws_test_call_assert_header (ringing, "Record-Route", record_route);
}

/* The caller takes the dialog from a relayed 2xx (§12.1.2) and ACKs it
 * end to end (§13.2.2.4). */
void
sws_test_call_confirm (SwsTestCallFixture *fixture,
                       SwsTestCall        *call,
                       SwsTestClient      *callee,
                       const char         *ok)
{
  g_autofree char *ack = NULL;
  g_autofree char *forwarded_ack = NULL;
  g_autofree char *contact = NULL;

  sws_test_call_assert_relayed (ok, call->invite);
  g_assert_cmpstr (sws_test_body (ok), ==, sws_test_sdp_answer);

  call->callee = callee;
  call->callee_to = sws_test_header (ok, "To");
  contact = sws_test_header (ok, "Contact");
  call->callee_contact = sws_test_contact_uri (contact);
  g_assert_cmpstr (call->callee_contact, ==, sws_test_call_contact (callee));
  call->route = sws_test_header (ok, "Record-Route");
  sws_test_call_assert_matches (fixture->route_pattern, call->route);

  ack = sws_test_call_build_in_dialog (call, TRUE, "ACK", call->caller_cseq, NULL, NULL);
  sws_test_client_send (fixture->alice, ack);
  forwarded_ack = sws_test_call_expect_request (callee, "ACK");
  sws_test_call_assert_forwarded (fixture, forwarded_ack, ack, call->callee_contact, FALSE);
}

/* The callee answers and the caller ACKs. */
void
sws_test_call_answer_call (SwsTestCallFixture *fixture,
                           SwsTestCall        *call,
                           SwsTestClient      *callee,
                           const char         *forwarded,
                           const char         *tag)
{
  g_autofree char *ok = NULL;

  g_free (sws_test_call_answer (callee, forwarded, 200, "OK", tag));
  ok = sws_test_call_expect_response (fixture->alice, 200, "1 INVITE");
  sws_test_call_confirm (fixture, call, callee, ok);
}

void
sws_test_call_establish (SwsTestCallFixture *fixture,
                         SwsTestCall        *call)
{
  g_autofree char *forwarded = sws_test_call_start (fixture, call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);

  sws_test_call_ring (fixture, call, fixture->bob, forwarded, tag);
  sws_test_call_answer_call (fixture, call, fixture->bob, forwarded, tag);
}

/* One transaction inside the dialog, from either side, answered 200 by
 * the other; a re-INVITE is ACKed. */
void
sws_test_call_in_dialog (SwsTestCallFixture *fixture,
                         SwsTestCall        *call,
                         gboolean            by_caller,
                         const char         *method,
                         const char         *content_type,
                         const char         *body)
{
  SwsTestClient *from = by_caller ? call->caller : call->callee;
  SwsTestClient *to = by_caller ? call->callee : call->caller;
  const char *target = by_caller ? call->callee_contact : sws_test_call_contact (call->caller);
  guint32 cseq = by_caller ? ++call->caller_cseq : ++call->callee_cseq;
  gboolean invite = g_str_equal (method, "INVITE");
  g_autofree char *request = NULL;
  g_autofree char *forwarded = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *cseq_text = g_strdup_printf ("%u %s", cseq, method);

  request = sws_test_call_build_in_dialog (call, by_caller, method, cseq, content_type, body);
  sws_test_client_send (from, request);
  if (invite)
    g_free (sws_test_call_expect_response (from, 100, cseq_text));

  /* No Record-Route on a request inside a dialog: the route set is fixed
   * by the initial INVITE (§12.2, §16.6 step 4). */
  forwarded = sws_test_call_expect_request (to, method);
  sws_test_call_assert_forwarded (fixture, forwarded, request, target, FALSE);

  g_free (sws_test_call_answer (to, forwarded, 200, "OK", NULL));
  ok = sws_test_call_expect_response (from, 200, cseq_text);
  sws_test_call_assert_relayed (ok, request);

  if (invite)
    {
      g_autofree char *ack = sws_test_call_build_in_dialog (call, by_caller, "ACK", cseq,
                                                            NULL, NULL);
      g_autofree char *forwarded_ack = NULL;

      sws_test_client_send (from, ack);
      forwarded_ack = sws_test_call_expect_request (to, "ACK");
      sws_test_call_assert_forwarded (fixture, forwarded_ack, ack, target, FALSE);
    }
}

/* The UAC ACKs a failure; the proxy keeps that ACK (§16.7 step 8, §17.2.1:
 * it ends the proxy's server transaction). */
void
sws_test_call_ack_failure (SwsTestClient *client,
                           const char    *request,
                           const char    *response)
{
  g_autofree char *to = sws_test_header (response, "To");
  g_autofree char *ack = sws_test_call_build_same_txn (request, "ACK", to);

  sws_test_client_send (client, ack);
}

/* The proxy's BYE for a side whose peer vanished (§15.1.1 on its behalf):
 * to that side's Contact, as if from the peer, above the peer's CSeq.
 * @client answers it. */
void
sws_test_call_expect_proxy_bye (SwsTestClient *client,
                                const char    *contact,
                                const char    *from_tag,
                                const char    *to_tag,
                                SwsTestCall   *call,
                                guint32        peer_cseq)
{
  g_autofree char *bye = sws_test_call_expect_request (client, "BYE");
  g_autofree char *uri = sws_test_request_uri (bye);
  g_autofree char *from = sws_test_header (bye, "From");
  g_autofree char *to = sws_test_header (bye, "To");
  g_autofree char *got_from_tag = sws_test_tag (from);
  g_autofree char *got_to_tag = sws_test_tag (to);
  g_autofree char *cseq = sws_test_header (bye, "CSeq");

  g_assert_cmpstr (uri, ==, contact);
  g_assert_cmpstr (got_from_tag, ==, from_tag);
  g_assert_cmpstr (got_to_tag, ==, to_tag);
  sws_test_call_assert_header (bye, "Call-ID", call->call_id);
  g_assert_true (g_str_has_suffix (cseq, " BYE"));
  g_assert_cmpuint (strtoul (cseq, NULL, 10), >, peer_cseq);

  /* The answer ends the proxy's own transaction and goes no further. */
  g_free (sws_test_call_answer (client, bye, 200, "OK", NULL));
}
