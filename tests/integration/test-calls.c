/* test-calls.c: calls through the real daemon (RFC 3261 §16)
 *
 * Real WebSocket clients play caller and callees by hand; the daemon is
 * the real sipwsd. Every flow of the issue: basic call, busy, CANCEL,
 * forking, requests inside the dialog both ways, MESSAGE, 404/480,
 * Max-Forwards, loops, a callee that disconnects, Timer C.
 */

#include "sws-test-daemon.h"
#include "sws-test-ua.h"

#define ALICE "sip:alice@alice.invalid;transport=ws"
#define BOB "sip:bob@bob.invalid;transport=ws"
#define BOB2 "sip:bob2@bob2.invalid;transport=ws"

typedef struct
{
  SwsTestDaemon *daemon;
  SwsTestClient *alice;
  SwsTestClient *bob;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->daemon = sws_test_daemon_new ();
  if (data != NULL)
    g_key_file_load_from_data (sws_test_daemon_get_config (f->daemon), data, -1,
                               G_KEY_FILE_NONE, NULL);
  sws_test_daemon_start (f->daemon);
  f->alice = sws_test_client_new_for_daemon (f->daemon);
  f->bob = sws_test_client_new_for_daemon (f->daemon);
  sws_test_ua_register (f->alice, "sip:alice@example.com", ALICE, 1);
  sws_test_ua_register (f->bob, "sip:bob@example.com", BOB, 1);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->alice, sws_test_client_free);
  g_clear_pointer (&f->bob, sws_test_client_free);
  sws_test_daemon_stop (f->daemon);
  g_clear_pointer (&f->daemon, sws_test_daemon_free);
}

static char *
invite (const char *ruri, const char *call_id, const char *branch, const char *extra)
{
  return g_strdup_printf ("INVITE %s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS alice.invalid;branch=%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "To: <sip:bob@example.com>\r\n"
                          "From: <sip:alice@example.com>;tag=atag\r\n"
                          "Call-ID: %s\r\nCSeq: 1 INVITE\r\n"
                          "Contact: <" ALICE ">\r\n%s"
                          "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n",
                          ruri, branch, call_id, extra ? extra : "");
}

static guint
status_of (SwsTestClient *c)
{
  g_autoptr(SwsSipMessage) m = sws_test_ua_recv (c);

  g_assert_false (m->is_request);
  return m->status;
}

/* alice calls bob, bob rings and answers; returns our Record-Route. */
static char *
establish (Fixture *f, const char *call_id)
{
  g_autofree char *text = invite ("sip:bob@example.com", call_id, "z9hG4bKest", NULL);
  g_autoptr(SwsSipMessage) inv = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  const SwsHeader *rr;

  sws_test_client_send (f->alice, text);
  g_assert_cmpuint (status_of (f->alice), ==, 100);
  inv = sws_test_ua_recv (f->bob);
  g_assert_cmpuint (inv->method, ==, SWS_METHOD_INVITE);
  g_assert_true (sws_str_equal (inv->request_uri_text, sws_str_c (BOB)));
  g_assert_cmpmem (inv->body.p, inv->body.len, "v=0\n", 4);
  sws_test_ua_respond (f->bob, inv, 180, "Ringing", "btag", BOB);
  g_assert_cmpuint (status_of (f->alice), ==, 180);
  sws_test_ua_respond (f->bob, inv, 200, "OK", "btag", BOB);
  ok = sws_test_ua_recv (f->alice);
  g_assert_cmpuint (ok->status, ==, 200);
  rr = sws_sip_message_find (ok, SWS_HDR_RECORD_ROUTE);
  g_assert_nonnull (rr);
  return sws_str_dup (rr->value);
}

static void
send_in_dialog (SwsTestClient *from_client, SwsTestClient *to_client, const char *method,
                const char *target, const char *rr, const char *from, const char *to,
                const char *call_id, guint cseq, gboolean expect_response)
{
  g_autofree char *text = sws_test_ua_in_dialog (method, target, rr, from, to, call_id, cseq);
  g_autoptr(SwsSipMessage) got = NULL;

  sws_test_client_send (from_client, text);
  got = sws_test_ua_recv (to_client);
  g_assert_true (got->is_request);
  g_assert_cmpstr (sws_method_to_string (got->method), ==, method);
  /* our Route is gone, the target untouched */
  g_assert_null (sws_sip_message_find (got, SWS_HDR_ROUTE));
  g_assert_true (sws_str_equal (got->request_uri_text, sws_str_c (target)));
  if (expect_response)
    {
      sws_test_ua_respond (to_client, got, 200, "OK", NULL, NULL);
      g_assert_cmpuint (status_of (from_client), ==, 200);
    }
}

#define A_FROM "<sip:alice@example.com>;tag=atag"
#define B_TO "<sip:bob@example.com>;tag=btag"

static void
test_basic (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f, "basic-1");

  send_in_dialog (f->alice, f->bob, "ACK", BOB, rr, A_FROM, B_TO, "basic-1", 1, FALSE);
  send_in_dialog (f->alice, f->bob, "BYE", BOB, rr, A_FROM, B_TO, "basic-1", 2, TRUE);
  sws_test_client_expect_silence (f->alice);
  sws_test_client_expect_silence (f->bob);
}

static void
test_in_dialog_both_ways (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f, "dialog-1");

  send_in_dialog (f->alice, f->bob, "ACK", BOB, rr, A_FROM, B_TO, "dialog-1", 1, FALSE);
  /* re-INVITE and INFO from the callee, then the caller, then BYE from the callee */
  send_in_dialog (f->bob, f->alice, "INFO", ALICE, rr, B_TO, A_FROM, "dialog-1", 1, TRUE);
  send_in_dialog (f->alice, f->bob, "INFO", BOB, rr, A_FROM, B_TO, "dialog-1", 2, TRUE);
  {
    g_autofree char *reinvite = sws_test_ua_in_dialog ("INVITE", BOB, rr, A_FROM, B_TO,
                                                       "dialog-1", 3);
    g_autoptr(SwsSipMessage) got = NULL;

    sws_test_client_send (f->alice, reinvite);
    g_assert_cmpuint (status_of (f->alice), ==, 100);
    got = sws_test_ua_recv (f->bob);
    g_assert_cmpuint (got->method, ==, SWS_METHOD_INVITE);
    sws_test_ua_respond (f->bob, got, 200, "OK", NULL, BOB);
    g_assert_cmpuint (status_of (f->alice), ==, 200);
  }
  send_in_dialog (f->bob, f->alice, "BYE", ALICE, rr, B_TO, A_FROM, "dialog-1", 2, TRUE);
}

static void
test_busy (Fixture *f, gconstpointer data)
{
  g_autofree char *text = invite ("sip:bob@example.com", "busy-1", "z9hG4bKbusy", NULL);
  g_autoptr(SwsSipMessage) inv = NULL;
  g_autoptr(SwsSipMessage) ack = NULL;

  sws_test_client_send (f->alice, text);
  g_assert_cmpuint (status_of (f->alice), ==, 100);
  inv = sws_test_ua_recv (f->bob);
  sws_test_ua_respond (f->bob, inv, 486, "Busy Here", "btag", NULL);
  g_assert_cmpuint (status_of (f->alice), ==, 486);
  /* the proxy ACKs the callee's 486 itself (§17.1.1.3) */
  ack = sws_test_ua_recv (f->bob);
  g_assert_cmpuint (ack->method, ==, SWS_METHOD_ACK);
  /* and absorbs the caller's */
  sws_test_client_send (f->alice,
                        "ACK sip:bob@example.com SIP/2.0\r\n"
                        "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKbusy\r\n"
                        "Max-Forwards: 70\r\nTo: <sip:bob@example.com>;tag=btag\r\n"
                        "From: <sip:alice@example.com>;tag=atag\r\n"
                        "Call-ID: busy-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
  sws_test_client_expect_silence (f->bob);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *text = invite ("sip:bob@example.com", "cancel-1", "z9hG4bKcan", NULL);
  g_autoptr(SwsSipMessage) inv = NULL;
  g_autoptr(SwsSipMessage) cancel = NULL;
  g_autoptr(SwsSipMessage) ack = NULL;

  sws_test_client_send (f->alice, text);
  g_assert_cmpuint (status_of (f->alice), ==, 100);
  inv = sws_test_ua_recv (f->bob);
  sws_test_ua_respond (f->bob, inv, 180, "Ringing", "btag", BOB);
  g_assert_cmpuint (status_of (f->alice), ==, 180);

  sws_test_client_send (f->alice,
                        "CANCEL sip:bob@example.com SIP/2.0\r\n"
                        "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKcan\r\n"
                        "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                        "From: <sip:alice@example.com>;tag=atag\r\n"
                        "Call-ID: cancel-1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n");
  g_assert_cmpuint (status_of (f->alice), ==, 200);
  cancel = sws_test_ua_recv (f->bob);
  g_assert_cmpuint (cancel->method, ==, SWS_METHOD_CANCEL);
  sws_test_ua_respond (f->bob, cancel, 200, "OK", "btag", NULL);
  sws_test_ua_respond (f->bob, inv, 487, "Request Terminated", "btag", NULL);
  g_assert_cmpuint (status_of (f->alice), ==, 487);
  ack = sws_test_ua_recv (f->bob);
  g_assert_cmpuint (ack->method, ==, SWS_METHOD_ACK);
}

static void
test_fork (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsTestClient) bob2 = sws_test_client_new_for_daemon (f->daemon);
  g_autofree char *text = invite ("sip:bob@example.com", "fork-1", "z9hG4bKfork", NULL);
  g_autoptr(SwsSipMessage) inv1 = NULL;
  g_autoptr(SwsSipMessage) inv2 = NULL;
  g_autoptr(SwsSipMessage) cancel = NULL;
  g_autoptr(SwsSipMessage) ack = NULL;

  sws_test_ua_register (bob2, "sip:bob@example.com", BOB2, 1);
  sws_test_client_send (f->alice, text);
  g_assert_cmpuint (status_of (f->alice), ==, 100);
  inv1 = sws_test_ua_recv (f->bob);
  inv2 = sws_test_ua_recv (bob2);
  g_assert_true (sws_str_equal (inv2->request_uri_text, sws_str_c (BOB2)));
  sws_test_ua_respond (bob2, inv2, 180, "Ringing", "b2tag", BOB2);
  g_assert_cmpuint (status_of (f->alice), ==, 180);

  /* first 200 wins; the other device stops ringing */
  sws_test_ua_respond (f->bob, inv1, 200, "OK", "btag", BOB);
  g_assert_cmpuint (status_of (f->alice), ==, 200);
  cancel = sws_test_ua_recv (bob2);
  g_assert_cmpuint (cancel->method, ==, SWS_METHOD_CANCEL);
  sws_test_ua_respond (bob2, cancel, 200, "OK", "b2tag", NULL);
  sws_test_ua_respond (bob2, inv2, 487, "Request Terminated", "b2tag", NULL);
  ack = sws_test_ua_recv (bob2);
  g_assert_cmpuint (ack->method, ==, SWS_METHOD_ACK);
  sws_test_client_expect_silence (f->alice);
}

static void
test_message (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  sws_test_client_send (f->alice,
                        "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                        "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKmsg\r\n"
                        "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                        "From: <sip:alice@example.com>;tag=m1\r\n"
                        "Call-ID: msg-1\r\nCSeq: 1 MESSAGE\r\n"
                        "Content-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello there");
  msg = sws_test_ua_recv (f->bob);
  g_assert_cmpuint (msg->method, ==, SWS_METHOD_MESSAGE);
  g_assert_cmpmem (msg->body.p, msg->body.len, "hello there", 11);
  sws_test_ua_respond (f->bob, msg, 200, "OK", "b1", NULL);
  g_assert_cmpuint (status_of (f->alice), ==, 200);
}

static void
test_not_found_and_offline (Fixture *f, gconstpointer data)
{
  g_autofree char *i1 = invite ("sip:nobody@example.com", "nf-1", "z9hG4bKnf1", NULL);
  g_autofree char *i2 = invite ("sip:bob@example.com", "nf-2", "z9hG4bKnf2", NULL);

  sws_test_client_send (f->alice, i1);
  g_assert_cmpuint (status_of (f->alice), ==, 404);

  /* bob's socket goes: known user, no binding */
  g_clear_pointer (&f->bob, sws_test_client_free);
  sws_test_sleep (300);
  sws_test_client_send (f->alice, i2);
  g_assert_cmpuint (status_of (f->alice), ==, 480);
}

static void
test_too_many_hops (Fixture *f, gconstpointer data)
{
  g_autofree char *text = invite ("sip:bob@example.com", "mf-1", "z9hG4bKmf", NULL);
  char *mf = strstr (text, "Max-Forwards: 70");

  memcpy (mf, "Max-Forwards: 00", 16);
  sws_test_client_send (f->alice, text);
  g_assert_cmpuint (status_of (f->alice), ==, 483);
  sws_test_client_expect_silence (f->bob);
}

static void
test_loop (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autofree char *back = NULL;
  const SwsHeader *via;

  sws_test_client_send (f->alice,
                        "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                        "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKloop\r\n"
                        "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                        "From: <sip:alice@example.com>;tag=l1\r\n"
                        "Call-ID: loop-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n");
  fwd = sws_test_ua_recv (f->bob);
  via = sws_sip_message_find (fwd, SWS_HDR_VIA);
  /* bob sends it back unchanged: the proxy finds its own Via (§16.3) */
  back = g_strdup_printf ("MESSAGE sip:bob@example.com SIP/2.0\r\n"
                          "Via: SIP/2.0/WS bob.invalid;branch=z9hG4bKback\r\n"
                          "Via: %.*s\r\n"
                          "Via: SIP/2.0/WS alice.invalid;branch=z9hG4bKloop\r\n"
                          "Max-Forwards: 68\r\nTo: <sip:bob@example.com>\r\n"
                          "From: <sip:alice@example.com>;tag=l1\r\n"
                          "Call-ID: loop-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
                          (int) via->value.len, via->value.p);
  sws_test_client_send (f->bob, back);
  g_assert_cmpuint (status_of (f->bob), ==, 482);
}

static void
test_callee_disconnects (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f, "drop-1");
  g_autoptr(SwsSipMessage) bye = NULL;

  g_clear_pointer (&f->bob, sws_test_client_free);
  /* no ghost call: alice hears the end at once */
  bye = sws_test_ua_recv (f->alice);
  g_assert_cmpuint (bye->method, ==, SWS_METHOD_BYE);
  g_assert_true (sws_str_equal (bye->request_uri_text, sws_str_c (ALICE)));
  g_assert_true (sws_str_equal (bye->to.tag, sws_str_c ("atag")));
  g_assert_true (sws_str_equal (bye->from.tag, sws_str_c ("btag")));
  sws_test_ua_respond (f->alice, bye, 200, "OK", NULL, NULL);
}

static void
test_timer_c (Fixture *f, gconstpointer data)
{
  g_autofree char *text = invite ("sip:bob@example.com", "timerc-1", "z9hG4bKtc", NULL);
  g_autoptr(SwsSipMessage) inv = NULL;
  g_autoptr(SwsSipMessage) cancel = NULL;

  sws_test_client_send (f->alice, text);
  g_assert_cmpuint (status_of (f->alice), ==, 100);
  inv = sws_test_ua_recv (f->bob);
  sws_test_ua_respond (f->bob, inv, 180, "Ringing", "btag", BOB);
  g_assert_cmpuint (status_of (f->alice), ==, 180);
  /* nobody answers: after invite-timeout the branch is CANCELled and the
   * caller gets 408 (§16.8) */
  cancel = sws_test_ua_recv (f->bob);
  g_assert_cmpuint (cancel->method, ==, SWS_METHOD_CANCEL);
  g_assert_cmpuint (status_of (f->alice), ==, 408);
}

static void
test_many_calls (Fixture *f, gconstpointer data)
{
  /* 50 short calls in a row: any state left behind shows up as a wrong
   * answer sooner or later. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *call_id = g_strdup_printf ("many-%u", i);
      g_autofree char *rr = establish (f, call_id);

      send_in_dialog (f->alice, f->bob, "ACK", BOB, rr, A_FROM, B_TO, call_id, 1, FALSE);
      send_in_dialog (i % 2 ? f->alice : f->bob, i % 2 ? f->bob : f->alice, "BYE",
                      i % 2 ? BOB : ALICE, rr, i % 2 ? A_FROM : B_TO, i % 2 ? B_TO : A_FROM,
                      call_id, 2, TRUE);
    }
}

int
main (int argc, char *argv[])
{
  sws_test_init (&argc, &argv);

#define ADD(path, fn, config) g_test_add ("/sws/integration/call/" path, Fixture, config, \
                                          setup, fn, teardown)
  ADD ("basic", test_basic, NULL);
  ADD ("in-dialog-both-ways", test_in_dialog_both_ways, NULL);
  ADD ("busy", test_busy, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("fork", test_fork, NULL);
  ADD ("message", test_message, NULL);
  ADD ("not-found-and-offline", test_not_found_and_offline, NULL);
  ADD ("too-many-hops", test_too_many_hops, NULL);
  ADD ("loop", test_loop, NULL);
  ADD ("callee-disconnects", test_callee_disconnects, NULL);
  ADD ("timer-c", test_timer_c, "[proxy]\ninvite-timeout=1\n");
  ADD ("many-calls", test_many_calls, NULL);

  return g_test_run ();
}
