/* test-call.c: calls through the real daemon, seen from the user agents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Alice and Bob (on one or two WebSockets) are played by hand over real
 * WebSockets; every hop is checked against the stateful proxy of RFC 3261
 * §16 (see sws-test-call.c): basic calls, failures, CANCEL, forking,
 * requests inside the dialog both ways, MESSAGE, the proxy's own
 * refusals, loops, peers that vanish and Timer C.
 */

#include <stdlib.h>
#include <string.h>

#include "sws-test-call.h"

/* [proxy] invite-timeout of the Timer C tests, in seconds */
#define TIMER_C_S 1
#define MANY_CALLS 200

static void
test_call_basic (SwsTestCallFixture *fixture,
                 gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };

  sws_test_call_establish (fixture, &call);
  sws_test_call_in_dialog (fixture, &call, TRUE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_bye_from_callee (SwsTestCallFixture *fixture,
                           gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };

  sws_test_call_establish (fixture, &call);
  sws_test_call_in_dialog (fixture, &call, FALSE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_in_dialog (SwsTestCallFixture *fixture,
                     gconstpointer       user_data)
{
  const char *dtmf = "Signal=5\r\nDuration=160\r\n";
  g_auto(SwsTestCall) call = { 0 };

  sws_test_call_establish (fixture, &call);

  /* Both ways along the one Record-Route (RFC 7118 §5.3: the proxy maps
   * each .invalid Contact to its WebSocket). */
  sws_test_call_in_dialog (fixture, &call, FALSE, "INVITE",
                           "application/sdp", sws_test_sdp_answer);
  sws_test_call_in_dialog (fixture, &call, TRUE, "INVITE",
                           "application/sdp", sws_test_sdp_offer);
  sws_test_call_in_dialog (fixture, &call, TRUE, "INFO", "application/dtmf-relay", dtmf);
  sws_test_call_in_dialog (fixture, &call, FALSE, "INFO", "application/dtmf-relay", dtmf);
  sws_test_call_in_dialog (fixture, &call, FALSE, "MESSAGE", "text/plain", "in the call");
  sws_test_call_in_dialog (fixture, &call, TRUE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_reinvite_rejected (SwsTestCallFixture *fixture,
                             gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *reinvite = NULL;
  g_autofree char *forwarded = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *relayed = NULL;
  guint32 cseq;

  sws_test_call_establish (fixture, &call);

  /* A re-INVITE that fails ends its transaction, not the dialog (§14.1):
   * the proxy ACKs Bob and keeps Alice's ACK, as for an initial INVITE. */
  cseq = ++call.caller_cseq;
  reinvite = sws_test_call_build_in_dialog (&call, TRUE, "INVITE", cseq,
                                            "application/sdp", sws_test_sdp_offer);
  sws_test_client_send (fixture->alice, reinvite);
  g_free (sws_test_call_expect_response (fixture->alice, 100, "2 INVITE"));
  forwarded = sws_test_call_expect_request (fixture->bob, "INVITE");
  pending = sws_test_call_answer (fixture->bob, forwarded, 491, "Request Pending", NULL);
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, pending);
  relayed = sws_test_call_expect_response (fixture->alice, 491, "2 INVITE");
  sws_test_call_assert_relayed (relayed, reinvite);
  sws_test_call_ack_failure (fixture->alice, reinvite, relayed);
  sws_test_call_expect_quiet (fixture);

  sws_test_call_in_dialog (fixture, &call, FALSE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);
}

static void
busy_call (SwsTestCallFixture *fixture,
           SwsTestCall        *call)
{
  g_autofree char *forwarded = sws_test_call_start (fixture, call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *busy = NULL;
  g_autofree char *relayed = NULL;

  busy = sws_test_call_answer (fixture->bob, forwarded, 486, "Busy Here", tag);
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, busy);
  relayed = sws_test_call_expect_response (fixture->alice, 486, "1 INVITE");
  sws_test_call_assert_relayed (relayed, call->invite);
  sws_test_call_assert_same_header (relayed, busy, "To");
  sws_test_call_ack_failure (fixture->alice, call->invite, relayed);
}

static void
test_call_busy (SwsTestCallFixture *fixture,
                gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };

  busy_call (fixture, &call);
  /* The caller's ACK went nowhere. */
  sws_test_call_expect_quiet (fixture);
}

/* The caller CANCELs while Bob rings (§9.1, §16.10). */
static void
cancelled_call (SwsTestCallFixture *fixture,
                SwsTestCall        *call)
{
  g_autofree char *forwarded = sws_test_call_start (fixture, call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *cancel = sws_test_call_build_same_txn (call->invite, "CANCEL", NULL);
  g_autofree char *forwarded_cancel = NULL;
  g_autofree char *terminated = NULL;
  g_autofree char *relayed = NULL;
  g_autofree char *via = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *forwarded_uri = sws_test_request_uri (forwarded);
  g_auto(GStrv) forwarded_vias = sws_test_header_list (forwarded, "Via");

  sws_test_call_ring (fixture, call, fixture->bob, forwarded, tag);

  sws_test_client_send (fixture->alice, cancel);
  g_free (sws_test_call_expect_response (fixture->alice, 200, "1 CANCEL"));

  /* The proxy's own CANCEL: the forwarded INVITE's Request-URI and
   * branch, its Via alone. */
  forwarded_cancel = sws_test_call_expect_request (fixture->bob, "CANCEL");
  uri = sws_test_request_uri (forwarded_cancel);
  g_assert_cmpstr (uri, ==, forwarded_uri);
  via = sws_test_header (forwarded_cancel, "Via");
  g_assert_cmpstr (via, ==, forwarded_vias[0]);
  sws_test_call_assert_same_header (forwarded_cancel, forwarded, "Call-ID");
  sws_test_call_assert_same_header (forwarded_cancel, forwarded, "From");
  sws_test_call_assert_same_header (forwarded_cancel, forwarded, "To");
  sws_test_call_assert_header (forwarded_cancel, "CSeq", "1 CANCEL");

  g_free (sws_test_call_answer (fixture->bob, forwarded_cancel, 200, "OK", tag));
  terminated = sws_test_call_answer (fixture->bob, forwarded, 487,
                                     "Request Terminated", tag);
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, terminated);
  relayed = sws_test_call_expect_response (fixture->alice, 487, "1 INVITE");
  sws_test_call_assert_relayed (relayed, call->invite);
  sws_test_call_ack_failure (fixture->alice, call->invite, relayed);
}

static void
test_call_cancel (SwsTestCallFixture *fixture,
                  gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *cancel = NULL;

  cancelled_call (fixture, &call);
  sws_test_call_expect_quiet (fixture);

  /* The INVITE transaction is over: nothing left to cancel (§9.2). */
  cancel = sws_test_call_build_same_txn (call.invite, "CANCEL", NULL);
  sws_test_client_send (fixture->alice, cancel);
  g_free (sws_test_call_expect_response (fixture->alice, 481, "1 CANCEL"));
}

static void
test_call_cancel_before_ringing (SwsTestCallFixture *fixture,
                                 gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = sws_test_call_start (fixture, &call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *cancel = sws_test_call_build_same_txn (call.invite, "CANCEL", NULL);
  g_autofree char *forwarded_cancel = NULL;
  g_autofree char *terminated = NULL;
  g_autofree char *final = NULL;

  sws_test_client_send (fixture->alice, cancel);
  g_free (sws_test_call_expect_response (fixture->alice, 200, "1 CANCEL"));

  /* §9.1: no CANCEL before the branch has sent a provisional response. */
  sws_test_call_expect_quiet (fixture);
  g_free (sws_test_call_answer (fixture->bob, forwarded, 180, "Ringing", tag));
  forwarded_cancel = sws_test_call_expect_request (fixture->bob, "CANCEL");
  g_free (sws_test_call_answer (fixture->bob, forwarded_cancel, 200, "OK", tag));
  terminated = sws_test_call_answer (fixture->bob, forwarded, 487,
                                     "Request Terminated", tag);
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, terminated);

  final = sws_test_client_recv_final (fixture->alice, SWS_TEST_RECV_TIMEOUT_MS);
  g_assert_cmpuint (sws_test_status_code (final), ==, 487);
  sws_test_call_ack_failure (fixture->alice, call.invite, final);
  sws_test_call_expect_quiet (fixture);
}

/* Bob on two WebSockets: both ring (§16.6 parallel forking). */
static void
fork_call (SwsTestCallFixture  *fixture,
           SwsTestCall         *call,
           char               **forwarded,
           char               **forwarded2)
{
  g_autofree char *invite = NULL;
  g_autofree char *route = NULL;
  g_autofree char *route2 = NULL;
  g_auto(GStrv) vias = NULL;
  g_auto(GStrv) vias2 = NULL;

  fixture->bob2 = sws_test_client_new_for_daemon (fixture->daemon);
  sws_test_call_register (fixture->bob2, SWS_TEST_BOB);

  invite = sws_test_call_build_invite (call, fixture->alice, SWS_TEST_BOB, 70);
  sws_test_client_send (fixture->alice, invite);
  g_free (sws_test_call_expect_response (fixture->alice, 100, "1 INVITE"));
  *forwarded = sws_test_call_expect_request (fixture->bob, "INVITE");
  *forwarded2 = sws_test_call_expect_request (fixture->bob2, "INVITE");
  sws_test_call_assert_forwarded (fixture, *forwarded, invite,
                                  sws_test_call_contact (fixture->bob), TRUE);
  sws_test_call_assert_forwarded (fixture, *forwarded2, invite,
                                  sws_test_call_contact (fixture->bob2), TRUE);

  /* One client transaction per branch, one pair of flows per route. */
  vias = sws_test_header_list (*forwarded, "Via");
  vias2 = sws_test_header_list (*forwarded2, "Via");
  g_assert_cmpstr (vias[0], !=, vias2[0]);
  route = sws_test_header (*forwarded, "Record-Route");
  route2 = sws_test_header (*forwarded2, "Record-Route");
  g_assert_cmpstr (route, !=, route2);
}

static void
test_call_fork (SwsTestCallFixture *fixture,
                gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = NULL;
  g_autofree char *forwarded2 = NULL;
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *tag2 = sws_test_new_token (10);
  g_autofree char *cancel = NULL;
  g_autofree char *terminated = NULL;
  g_autofree char *via = NULL;
  g_auto(GStrv) forwarded2_vias = NULL;

  fork_call (fixture, &call, &forwarded, &forwarded2);
  sws_test_call_ring (fixture, &call, fixture->bob2, forwarded2, tag2);

  /* The first 2xx wins; the branch still ringing is CANCELled (§16.7
   * step 10), and its 487 never reaches the caller. */
  sws_test_call_answer_call (fixture, &call, fixture->bob, forwarded, tag);
  cancel = sws_test_call_expect_request (fixture->bob2, "CANCEL");
  forwarded2_vias = sws_test_header_list (forwarded2, "Via");
  via = sws_test_header (cancel, "Via");
  g_assert_cmpstr (via, ==, forwarded2_vias[0]);
  g_free (sws_test_call_answer (fixture->bob2, cancel, 200, "OK", tag2));
  terminated = sws_test_call_answer (fixture->bob2, forwarded2, 487,
                                     "Request Terminated", tag2);
  sws_test_call_expect_proxy_ack (fixture->bob2, forwarded2, terminated);
  sws_test_call_expect_quiet (fixture);

  /* The dialog is with the winner only. */
  sws_test_call_in_dialog (fixture, &call, TRUE, "INFO", "text/plain", "hello");
  sws_test_call_in_dialog (fixture, &call, FALSE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_fork_declined (SwsTestCallFixture *fixture,
                         gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = NULL;
  g_autofree char *forwarded2 = NULL;
  g_autofree char *busy = NULL;
  g_autofree char *decline = NULL;
  g_autofree char *relayed = NULL;

  fork_call (fixture, &call, &forwarded, &forwarded2);

  /* §16.7 step 6: with every branch failed, a 6xx beats a 4xx. */
  busy = sws_test_call_answer (fixture->bob, forwarded, 486, "Busy Here", "t1");
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, busy);
  decline = sws_test_call_answer (fixture->bob2, forwarded2, 603, "Decline", "t2");
  sws_test_call_expect_proxy_ack (fixture->bob2, forwarded2, decline);

  relayed = sws_test_call_expect_response (fixture->alice, 603, "1 INVITE");
  sws_test_call_assert_relayed (relayed, call.invite);
  sws_test_call_assert_same_header (relayed, decline, "To");
  sws_test_call_ack_failure (fixture->alice, call.invite, relayed);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_fork_both_answer (SwsTestCallFixture *fixture,
                            gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_auto(SwsTestCall) call2 = { 0 };
  g_autofree char *forwarded = NULL;
  g_autofree char *forwarded2 = NULL;
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *tag2 = sws_test_new_token (10);
  g_autofree char *cancel = NULL;
  g_autofree char *ok2 = NULL;
  g_autofree char *caller_tag = NULL;

  fork_call (fixture, &call, &forwarded, &forwarded2);
  sws_test_call_ring (fixture, &call, fixture->bob2, forwarded2, tag2);
  sws_test_call_answer_call (fixture, &call, fixture->bob, forwarded, tag);

  /* Bob's second device answered before our CANCEL reached it. Every 2xx
   * to an INVITE goes to the caller (§16.7 step 5), who takes the second
   * dialog too, ACKs it and hangs it up (§13.2.2.4). */
  cancel = sws_test_call_expect_request (fixture->bob2, "CANCEL");
  g_free (sws_test_call_answer (fixture->bob2, forwarded2, 200, "OK", tag2));
  g_free (sws_test_call_answer (fixture->bob2, cancel, 200, "OK", tag2));
  ok2 = sws_test_call_expect_response (fixture->alice, 200, "1 INVITE");
  call2.caller = fixture->alice;
  call2.invite = g_strdup (call.invite);
  call2.call_id = g_strdup (call.call_id);
  call2.caller_from = g_strdup (call.caller_from);
  call2.caller_cseq = call.caller_cseq;
  sws_test_call_confirm (fixture, &call2, fixture->bob2, ok2);
  g_assert_cmpstr (call2.route, !=, call.route);
  sws_test_call_in_dialog (fixture, &call2, TRUE, "BYE", NULL, NULL);
  sws_test_call_expect_quiet (fixture);

  /* The first dialog lives on: in both directions, and a Bob who vanishes
   * still gets Alice a BYE for it. */
  sws_test_call_in_dialog (fixture, &call, TRUE, "INFO", "text/plain", "still there?");
  sws_test_call_in_dialog (fixture, &call, FALSE, "INFO", "text/plain", "yes");
  sws_test_client_drop (fixture->bob);
  caller_tag = sws_test_tag (call.caller_from);
  sws_test_call_expect_proxy_bye (fixture->alice, sws_test_call_contact (fixture->alice),
                                  tag, caller_tag, &call, call.callee_cseq);
  sws_test_call_expect_quiet (fixture);
}

static void
message_to (SwsTestCallFixture *fixture,
            SwsTestClient      *from,
            const char         *from_aor,
            SwsTestClient      *to,
            const char         *to_aor)
{
  const char *text = "Hello \xe2\x80\x94 \xc3\xa7" "a va? \xe2\x98\x8e";
  g_autofree char *message = sws_test_call_build_message (from_aor, to_aor, text);
  g_autofree char *forwarded = NULL;
  g_autofree char *ok = NULL;

  sws_test_client_send (from, message);
  forwarded = sws_test_call_expect_request (to, "MESSAGE");
  sws_test_call_assert_forwarded (fixture, forwarded, message,
                                  sws_test_call_contact (to), FALSE);
  g_assert_cmpstr (sws_test_body (forwarded), ==, text);

  g_free (sws_test_call_answer (to, forwarded, 200, "OK", "m1"));
  ok = sws_test_call_expect_response (from, 200, "1 MESSAGE");
  sws_test_call_assert_relayed (ok, message);
}

static void
test_call_message (SwsTestCallFixture *fixture,
                   gconstpointer       user_data)
{
  /* RFC 3428 §7: relayed statefully with its body. No 100 Trying for a
   * non-INVITE (§16.2): the first answer back is the 200. */
  message_to (fixture, fixture->alice, SWS_TEST_ALICE, fixture->bob, SWS_TEST_BOB);
  message_to (fixture, fixture->bob, SWS_TEST_BOB, fixture->alice, SWS_TEST_ALICE);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_message_fork (SwsTestCallFixture *fixture,
                        gconstpointer       user_data)
{
  g_autofree char *message = sws_test_call_build_message (SWS_TEST_ALICE, SWS_TEST_BOB,
                                                          "to all of Bob");
  g_autofree char *forwarded = NULL;
  g_autofree char *forwarded2 = NULL;

  fixture->bob2 = sws_test_client_new_for_daemon (fixture->daemon);
  sws_test_call_register (fixture->bob2, SWS_TEST_BOB);

  sws_test_client_send (fixture->alice, message);
  forwarded = sws_test_call_expect_request (fixture->bob, "MESSAGE");
  forwarded2 = sws_test_call_expect_request (fixture->bob2, "MESSAGE");

  /* §16.7 step 5: after a final response went upstream, only a 2xx to an
   * INVITE is forwarded; a non-INVITE transaction has one final response. */
  g_free (sws_test_call_answer (fixture->bob, forwarded, 200, "OK", "b1"));
  g_free (sws_test_call_expect_response (fixture->alice, 200, "1 MESSAGE"));
  g_free (sws_test_call_answer (fixture->bob2, forwarded2, 200, "OK", "b2"));
  sws_test_call_expect_quiet (fixture);
}

/* An INVITE that the proxy refuses itself, before any 100 Trying. */
static void
expect_refused (SwsTestCallFixture *fixture,
                const char         *request_uri,
                int                 max_forwards,
                guint               status)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *invite = sws_test_call_build_invite (&call, fixture->alice,
                                                        request_uri, max_forwards);
  g_autofree char *response = NULL;

  sws_test_client_send (fixture->alice, invite);
  response = sws_test_call_expect_response (fixture->alice, status, "1 INVITE");
  sws_test_call_assert_relayed (response, invite);
  sws_test_call_ack_failure (fixture->alice, call.invite, response);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_not_found (SwsTestCallFixture *fixture,
                     gconstpointer       user_data)
{
  expect_refused (fixture, "sip:nobody@example.com", 70, 404);
}

static gboolean
has_no_binding (SwsTestClient *observer,
                const char    *aor)
{
  g_autofree char *query = sws_test_build_register (aor, NULL, -1, NULL, 1);
  g_autofree char *response = sws_test_client_request (observer, query);
  g_auto(GStrv) contacts = NULL;

  g_assert_cmpuint (sws_test_status_code (response), ==, 200);
  contacts = sws_test_header_list (response, "Contact");
  return g_strv_length (contacts) == 0;
}

static void
test_call_offline (SwsTestCallFixture *fixture,
                   gconstpointer       user_data)
{
  gint64 deadline = g_get_monotonic_time ()
                    + SWS_TEST_RECV_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  /* Bob's only WebSocket goes, and his binding with it. */
  sws_test_client_close (fixture->bob);
  while (!has_no_binding (fixture->alice, SWS_TEST_BOB))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      sws_test_sleep (50);
    }
  g_clear_pointer (&fixture->bob, sws_test_client_free);

  /* A known AOR without a binding is not unknown (RFC 7118 clients need
   * 480 to tell "offline" from "no such user"). */
  expect_refused (fixture, SWS_TEST_BOB, 70, 480);
}

static void
test_call_too_many_hops (SwsTestCallFixture *fixture,
                         gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *invite = sws_test_call_build_invite (&call, fixture->alice,
                                                        SWS_TEST_BOB, 1);
  g_autofree char *forwarded = NULL;
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *busy = NULL;

  /* §16.3 step 3 */
  expect_refused (fixture, SWS_TEST_BOB, 0, 483);

  /* One hop left is still a hop: forwarded with none. */
  sws_test_client_send (fixture->alice, invite);
  g_free (sws_test_call_expect_response (fixture->alice, 100, "1 INVITE"));
  forwarded = sws_test_call_expect_request (fixture->bob, "INVITE");
  sws_test_call_assert_header (forwarded, "Max-Forwards", "0");
  busy = sws_test_call_answer (fixture->bob, forwarded, 486, "Busy Here", tag);
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, busy);
  g_free (sws_test_call_expect_response (fixture->alice, 486, "1 INVITE"));
}

/* Bob sends a request he received back to the proxy with his own Via on
 * top and @request_uri as its Request-URI. */
static char *
send_back (const char  *forwarded,
           const char  *request_uri,
           char       **via)
{
  g_autofree char *method = sws_test_method (forwarded);
  g_autofree char *max_forwards = sws_test_header (forwarded, "Max-Forwards");
  g_autofree char *old_max_forwards = g_strdup_printf ("Max-Forwards: %s\r\n", max_forwards);
  g_autofree char *new_max_forwards = g_strdup_printf ("Max-Forwards: %d\r\n",
                                                       atoi (max_forwards) - 1);
  const char *headers = strstr (forwarded, "\r\n") + 2;
  GString *request = g_string_new (NULL);

  *via = sws_test_call_new_via ();
  g_string_append_printf (request, "%s %s SIP/2.0\r\nVia: %s\r\n%s",
                          method, request_uri, *via, headers);
  g_string_replace (request, old_max_forwards, new_max_forwards, 1);

  return g_string_free (request, FALSE);
}

static void
test_call_loop (SwsTestCallFixture *fixture,
                gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = sws_test_call_start (fixture, &call, fixture->bob);
  g_autofree char *via = NULL;
  g_autofree char *looped = send_back (forwarded, SWS_TEST_BOB, &via);
  g_autofree char *loop_detected = NULL;
  g_autofree char *relayed = NULL;
  g_autofree char *response = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *to = NULL;
  g_auto(GStrv) loop_vias = NULL;

  /* Back unchanged, the proxy's Via inside: a loop (§16.3 step 4). */
  sws_test_client_send (fixture->bob, looped);
  loop_detected = sws_test_call_expect_response (fixture->bob, 482, "1 INVITE");
  loop_vias = sws_test_header_list (loop_detected, "Via");
  g_assert_true (g_str_has_prefix (loop_vias[0], via));
  to = sws_test_header (loop_detected, "To");
  ack = g_strdup_printf ("ACK %s SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n"
                         "To: %s\r\nFrom: %s\r\nCall-ID: %s\r\nCSeq: 1 ACK\r\n"
                         "Content-Length: 0\r\n\r\n",
                         SWS_TEST_BOB, via, to, call.caller_from, call.call_id);
  sws_test_client_send (fixture->bob, ack);

  /* Bob passes the failure on; the caller gets it. */
  response = sws_test_call_answer (fixture->bob, forwarded, 482, "Loop Detected", "lt");
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, response);
  relayed = sws_test_call_expect_response (fixture->alice, 482, "1 INVITE");
  sws_test_call_ack_failure (fixture->alice, call.invite, relayed);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_spiral (SwsTestCallFixture *fixture,
                  gconstpointer       user_data)
{
  g_autofree char *message = sws_test_call_build_message (SWS_TEST_ALICE, SWS_TEST_BOB,
                                                          "round and round");
  g_autofree char *forwarded = NULL;
  g_autofree char *via = NULL;
  g_autofree char *spiral = NULL;
  g_autofree char *forwarded_spiral = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *final = NULL;

  sws_test_client_send (fixture->alice, message);
  forwarded = sws_test_call_expect_request (fixture->bob, "MESSAGE");

  /* Back with a new Request-URI: a spiral, not a loop (§16.3 step 4). */
  spiral = send_back (forwarded, SWS_TEST_ALICE, &via);
  sws_test_client_send (fixture->bob, spiral);
  forwarded_spiral = sws_test_call_expect_request (fixture->alice, "MESSAGE");
  sws_test_call_assert_forwarded (fixture, forwarded_spiral, spiral,
                                  sws_test_call_contact (fixture->alice), FALSE);

  g_free (sws_test_call_answer (fixture->alice, forwarded_spiral, 200, "OK", "s1"));
  ok = sws_test_call_expect_response (fixture->bob, 200, "1 MESSAGE");
  sws_test_call_assert_relayed (ok, spiral);
  g_free (sws_test_call_answer (fixture->bob, forwarded, 200, "OK", "s1"));
  final = sws_test_call_expect_response (fixture->alice, 200, "1 MESSAGE");
  sws_test_call_assert_relayed (final, message);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_callee_disconnects (SwsTestCallFixture *fixture,
                              gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *caller_tag = NULL;
  g_autofree char *callee_tag = NULL;

  sws_test_call_establish (fixture, &call);
  caller_tag = sws_test_tag (call.caller_from);
  callee_tag = sws_test_tag (call.callee_to);

  /* A browser tab that crashes: no close frame, no BYE. */
  sws_test_client_drop (fixture->bob);
  sws_test_call_expect_proxy_bye (fixture->alice, sws_test_call_contact (fixture->alice),
                                  callee_tag, caller_tag, &call, call.callee_cseq);
  g_clear_pointer (&fixture->bob, sws_test_client_free);
  sws_test_call_expect_quiet (fixture);

  /* Bob's binding went with his WebSocket. */
  expect_refused (fixture, SWS_TEST_BOB, 70, 480);
}

static void
test_call_caller_disconnects (SwsTestCallFixture *fixture,
                              gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *caller_tag = NULL;
  g_autofree char *callee_tag = NULL;

  sws_test_call_establish (fixture, &call);
  caller_tag = sws_test_tag (call.caller_from);
  callee_tag = sws_test_tag (call.callee_to);

  sws_test_client_close (fixture->alice);
  sws_test_call_expect_proxy_bye (fixture->bob, call.callee_contact, caller_tag, callee_tag,
                                  &call, call.caller_cseq);
  g_clear_pointer (&fixture->alice, sws_test_client_free);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_caller_disconnects_ringing (SwsTestCallFixture *fixture,
                                      gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = sws_test_call_start (fixture, &call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *cancel = NULL;
  g_autofree char *terminated = NULL;

  sws_test_call_ring (fixture, &call, fixture->bob, forwarded, tag);

  /* Nobody to answer any more: stop the ringing. */
  sws_test_client_drop (fixture->alice);
  cancel = sws_test_call_expect_request (fixture->bob, "CANCEL");
  g_clear_pointer (&fixture->alice, sws_test_client_free);
  g_free (sws_test_call_answer (fixture->bob, cancel, 200, "OK", tag));
  terminated = sws_test_call_answer (fixture->bob, forwarded, 487,
                                     "Request Terminated", tag);
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, terminated);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_callee_disconnects_ringing (SwsTestCallFixture *fixture,
                                      gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = sws_test_call_start (fixture, &call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *relayed = NULL;

  sws_test_call_ring (fixture, &call, fixture->bob, forwarded, tag);

  /* The branch will never answer: it fails at once, as if Bob were
   * offline (480), rather than after Timer C. */
  sws_test_client_drop (fixture->bob);
  relayed = sws_test_call_expect_response (fixture->alice, 480, "1 INVITE");
  sws_test_call_assert_relayed (relayed, call.invite);
  sws_test_call_ack_failure (fixture->alice, call.invite, relayed);
  g_clear_pointer (&fixture->bob, sws_test_client_free);
  sws_test_call_expect_quiet (fixture);
}

/* Bob rings and then never answers: after invite-timeout seconds Timer C
 * fires (§16.8). The branch had a provisional response, so it is
 * CANCELled; the proxy then ends it as if with a 408 (on_client_timer)
 * and sends the caller a 408 at once. Bob's 487 comes later. */
static char *
run_timer_c (SwsTestCallFixture  *fixture,
             SwsTestCall         *call,
             char               **forwarded_out)
{
  g_autofree char *forwarded = sws_test_call_start (fixture, call, fixture->bob);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *cancel = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *via = NULL;
  g_auto(GStrv) forwarded_vias = sws_test_header_list (forwarded, "Via");
  gint64 rang, elapsed_ms;

  /* Taken before Bob's 180 leaves: the daemon starts Timer C later. */
  rang = g_get_monotonic_time ();
  sws_test_call_ring (fixture, call, fixture->bob, forwarded, tag);

  cancel = sws_test_call_expect_request_within (fixture->bob, "CANCEL",
                                                TIMER_C_S * 1000 + SWS_TEST_RECV_TIMEOUT_MS);
  elapsed_ms = (g_get_monotonic_time () - rang) / 1000;
  g_test_message ("Timer C fired after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, TIMER_C_S * 1000);
  via = sws_test_header (cancel, "Via");
  g_assert_cmpstr (via, ==, forwarded_vias[0]);

  timeout = sws_test_call_expect_response (fixture->alice, 408, "1 INVITE");
  sws_test_call_assert_relayed (timeout, call->invite);
  sws_test_call_ack_failure (fixture->alice, call->invite, timeout);

  g_free (sws_test_call_answer (fixture->bob, cancel, 200, "OK", tag));
  *forwarded_out = g_steal_pointer (&forwarded);

  return sws_test_call_answer (fixture->bob, *forwarded_out, 487, "Request Terminated", tag);
}

static void
test_call_timer_c (SwsTestCallFixture *fixture,
                   gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = NULL;
  g_autofree char *terminated = run_timer_c (fixture, &call, &forwarded);
  g_autofree char *stray = NULL;
  g_autofree char *late = NULL;

  /* The caller heard 408 once; Bob's late 487 is not relayed. Whether it
   * is ACKed is timer-c-ack's business: take an ACK if one comes. */
  sws_test_sleep (SWS_TEST_SILENCE_MS);
  stray = sws_test_client_recv (fixture->alice, 0);
  g_assert_null (stray);
  late = sws_test_client_recv (fixture->bob, 0);
  if (late != NULL)
    {
      g_autofree char *method = sws_test_method (late);

      g_assert_cmpstr (method, ==, "ACK");
    }

  /* And the proxy is ready for the next call. */
  sws_test_call_clear (&call);
  sws_test_call_establish (fixture, &call);
  sws_test_call_in_dialog (fixture, &call, TRUE, "BYE", NULL, NULL);
}

static void
test_call_timer_c_ack (SwsTestCallFixture *fixture,
                       gconstpointer       user_data)
{
  g_auto(SwsTestCall) call = { 0 };
  g_autofree char *forwarded = NULL;
  g_autofree char *terminated = run_timer_c (fixture, &call, &forwarded);

  /* The CANCELled branch still ends with Bob's 487, which its client
   * transaction ACKs like any non-2xx final (§16.8, §17.1.1.3). */
  sws_test_call_expect_proxy_ack (fixture->bob, forwarded, terminated);
  sws_test_call_expect_quiet (fixture);
}

static void
test_call_many (SwsTestCallFixture *fixture,
                gconstpointer       user_data)
{
  /* Sequential calls of every kind: one that went wrong would leave state
   * behind that breaks a later one. */
  for (guint i = 0; i < MANY_CALLS; i++)
    {
      g_auto(SwsTestCall) call = { 0 };

      switch (i % 4)
        {
        case 0:
        case 1:
          sws_test_call_establish (fixture, &call);
          sws_test_call_in_dialog (fixture, &call, i % 4 == 0, "BYE", NULL, NULL);
          break;
        case 2:
          busy_call (fixture, &call);
          break;
        default:
          cancelled_call (fixture, &call);
          break;
        }
    }

  sws_test_call_expect_quiet (fixture);
}

int
main (int   argc,
      char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, func, invite_timeout) \
  g_test_add ("/sws/integration/call/" path, SwsTestCallFixture, \
              GUINT_TO_POINTER (invite_timeout), \
              sws_test_call_fixture_setup, func, sws_test_call_fixture_teardown)

  ADD ("basic", test_call_basic, 0);
  ADD ("bye-from-callee", test_call_bye_from_callee, 0);
  ADD ("in-dialog", test_call_in_dialog, 0);
  ADD ("reinvite-rejected", test_call_reinvite_rejected, 0);
  ADD ("busy", test_call_busy, 0);
  ADD ("cancel", test_call_cancel, 0);
  ADD ("cancel-before-ringing", test_call_cancel_before_ringing, 0);
  ADD ("fork", test_call_fork, 0);
  ADD ("fork-declined", test_call_fork_declined, 0);
  ADD ("fork-both-answer", test_call_fork_both_answer, 0);
  ADD ("message", test_call_message, 0);
  ADD ("message-fork", test_call_message_fork, 0);
  ADD ("not-found", test_call_not_found, 0);
  ADD ("offline", test_call_offline, 0);
  ADD ("too-many-hops", test_call_too_many_hops, 0);
  ADD ("loop", test_call_loop, 0);
  ADD ("spiral", test_call_spiral, 0);
  ADD ("callee-disconnects", test_call_callee_disconnects, 0);
  ADD ("caller-disconnects", test_call_caller_disconnects, 0);
  ADD ("caller-disconnects-ringing", test_call_caller_disconnects_ringing, 0);
  ADD ("callee-disconnects-ringing", test_call_callee_disconnects_ringing, 0);
  ADD ("timer-c", test_call_timer_c, TIMER_C_S);
  ADD ("timer-c-ack", test_call_timer_c_ack, TIMER_C_S);
  ADD ("many", test_call_many, 0);

#undef ADD

  return g_test_run ();
}
